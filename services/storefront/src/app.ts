import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Asset, AssetBundle } from './server/assetBundle.ts';
import { securityHeaders } from './server/securityHeaders.ts';
import { configPath, type StorefrontConfig } from './web/storefrontConfig.ts';

export interface StorefrontLogger {
  error: (details: object, message: string) => void;
}

export interface StorefrontDeps {
  /** Published to the page as /config.json. */
  config: StorefrontConfig;
  /** The built page (see loadAssetBundle). */
  assets: AssetBundle;
  logger?: StorefrontLogger;
}

export type { AssetBundle } from './server/assetBundle.ts';
export type { StorefrontConfig } from './web/storefrontConfig.ts';

/**
 * The storefront's HTTP server: the built page, /config.json, and health probes. It never
 * listens (service.ts does) and reads nothing from the environment.
 */
export function buildApp(deps: StorefrontDeps): Server {
  return createServer(createRequestHandler(deps));
}

/** What `buildApp`'s server answers requests with (service.ts attaches it once the page is loaded). */
export function createRequestHandler(
  deps: StorefrontDeps,
): (request: IncomingMessage, response: ServerResponse) => void {
  const { gatewayUrl, graphqlUrl, apiKey } = deps.config;
  const headers = securityHeaders(gatewayUrl, graphqlUrl);
  const configBody = Buffer.from(JSON.stringify({ gatewayUrl, ...(graphqlUrl ? { graphqlUrl } : {}), apiKey }));
  const indexPage = deps.assets.get('/index.html');
  if (!indexPage) throw new Error('the storefront asset bundle has no /index.html');

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      sendProblem(request, response, 405, 'METHOD_NOT_ALLOWED', 'Method not allowed');
      return;
    }
    const pathname = requestPath(request);
    if (pathname === undefined) {
      sendProblem(request, response, 400, 'VALIDATION_FAILED', 'Malformed request target');
      return;
    }
    if (pathname === '/health/live') return sendJson(request, response, { status: 'ok', checks: {} });
    if (pathname === '/health/ready') return sendJson(request, response, { status: 'ok', checks: { assets: 'ok' } });
    if (pathname === configPath) {
      response.setHeader('Cache-Control', 'no-store');
      return send(request, response, 200, 'application/json; charset=utf-8', configBody);
    }
    const asset = deps.assets.get(pathname) ?? (isPageRoute(pathname) ? indexPage : undefined);
    if (!asset) {
      sendProblem(request, response, 404, 'NOT_FOUND', 'Not found');
      return;
    }
    sendAsset(request, response, asset);
  };

  return (request, response) => {
    try {
      handle(request, response);
    } catch (error) {
      deps.logger?.error({ err: error, url: request.url }, 'storefront request failed');
      if (!response.headersSent) sendProblem(request, response, 500, 'INTERNAL', 'Internal error');
      else response.destroy();
    }
  };
}

/** Paths without a file extension are pages of the single-page app (index.html renders them). */
function isPageRoute(pathname: string): boolean {
  const lastSegment = pathname.slice(pathname.lastIndexOf('/') + 1);
  return !lastSegment.includes('.');
}

function requestPath(request: IncomingMessage): string | undefined {
  try {
    return new URL(request.url ?? '/', 'http://storefront.invalid').pathname;
  } catch {
    return undefined;
  }
}

function sendAsset(request: IncomingMessage, response: ServerResponse, asset: Asset): void {
  response.setHeader('ETag', asset.etag);
  response.setHeader('Cache-Control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (request.headers['if-none-match'] === asset.etag) {
    response.writeHead(304).end();
    return;
  }
  send(request, response, 200, asset.contentType, asset.body);
}

function sendJson(request: IncomingMessage, response: ServerResponse, body: unknown): void {
  response.setHeader('Cache-Control', 'no-store');
  send(request, response, 200, 'application/json; charset=utf-8', Buffer.from(JSON.stringify(body)));
}

function sendProblem(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  code: string,
  title: string,
): void {
  const body = { type: 'about:blank', title, status, code, instance: request.url ?? '/' };
  send(request, response, status, 'application/problem+json', Buffer.from(JSON.stringify(body)));
}

function send(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  contentType: string,
  body: Buffer,
): void {
  response.writeHead(status, { 'Content-Type': contentType, 'Content-Length': body.length });
  response.end(request.method === 'HEAD' ? undefined : body);
}
