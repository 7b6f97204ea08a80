import createClient, { type Client } from 'openapi-fetch';
import type { GatewayPaths } from './gatewayTypes.ts';

/** The generated, typed client of the gateway's public API. */
export type GatewayClient = Client<GatewayPaths>;

export interface GatewayClientOptions {
  /** Origin of the gateway (e.g. http://127.0.0.1:8080); `/api/v1` is added unless present. */
  gatewayUrl: string;
  apiKey: string;
  /** Injected in tests; the browser's fetch otherwise. */
  fetch?: (request: Request) => Promise<Response>;
}

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  return createClient<GatewayPaths>({
    baseUrl: apiBaseUrl(options.gatewayUrl),
    headers: { Authorization: `Bearer ${options.apiKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** The base URL of the business paths (the spec's server is `{origin}/api/v1`). */
function apiBaseUrl(gatewayUrl: string): string {
  const trimmed = gatewayUrl.replace(/\/+$/, '');
  return trimmed.endsWith('/api/v1') ? trimmed : `${trimmed}/api/v1`;
}
