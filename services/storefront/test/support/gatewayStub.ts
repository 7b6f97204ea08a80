import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Product } from '../../src/web/gatewayTypes.ts';
import { listen } from './listen.ts';

/** A request the stub received (preflights included, so tests can tell them apart). */
export interface StubRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface StubReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Answer this late (keeps a request in flight while a test double-clicks). */
  delayMs?: number;
}

export interface GatewayStubOptions {
  apiKey: string;
  products: readonly Product[];
  /** Answer to the n-th (0-based) POST /api/v1/orders. */
  placeOrder: (request: StubRequest, index: number) => StubReply;
  /** Answer to the n-th GET /api/v1/orders/{id}. */
  orderView?: (orderId: string, index: number) => StubReply;
}

export interface GatewayStub {
  url: string;
  requests: StubRequest[];
  /** The POST /api/v1/orders requests received so far. */
  orderPosts: () => StubRequest[];
  close: () => Promise<void>;
}

/**
 * A node:http stand-in for the gateway's public API, with the CORS answers a browser needs to
 * call it from the storefront's origin, and the Bearer API key check.
 */
export async function startGatewayStub(options: GatewayStubOptions): Promise<GatewayStub> {
  const requests: StubRequest[] = [];
  let posts = 0;
  let views = 0;
  const server = createServer((request, response) => {
    // A stand-in: a request it cannot read is answered 500, never left hanging.
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const path = new URL(request.url ?? '/', 'http://stub').pathname;
    const recorded: StubRequest = {
      method: request.method ?? 'GET',
      path,
      headers: request.headers,
      body: text === '' ? undefined : JSON.parse(text),
    };
    requests.push(recorded);
    response.setHeader('Access-Control-Allow-Origin', request.headers.origin ?? '*');
    response.setHeader('Vary', 'Origin');
    response.setHeader('Access-Control-Expose-Headers', 'Retry-After, Location, Idempotent-Replayed');
    if (recorded.method === 'OPTIONS') {
      response.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, Idempotency-Key',
        'Access-Control-Max-Age': '600',
      });
      response.end();
      return;
    }
    const reply = answer(recorded);
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    const problem = reply.status >= 400;
    response.writeHead(reply.status, {
      'Content-Type': problem ? 'application/problem+json' : 'application/json',
      ...reply.headers,
    });
    response.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
  }

  const answer = (request: StubRequest): StubReply => {
    if (request.headers.authorization !== `Bearer ${options.apiKey}`) return problemReply(401, 'UNAUTHENTICATED');
    if (request.method === 'GET' && request.path === '/api/v1/products') {
      return { status: 200, body: { items: options.products } };
    }
    if (request.method === 'POST' && request.path === '/api/v1/orders') return options.placeOrder(request, posts++);
    if (request.method === 'POST' && request.path === '/api/graphql' && options.orderView) {
      const { operationName, variables } = request.body as { operationName?: string; variables?: { id?: string } };
      if (operationName === 'OrderView' && typeof variables?.id === 'string') {
        return graphqlOrderView(options.orderView(variables.id, views++));
      }
    }
    const orderMatch = /^\/api\/v1\/orders\/([^/]+)$/.exec(request.path);
    if (request.method === 'GET' && orderMatch?.[1] && options.orderView)
      return options.orderView(orderMatch[1], views++);
    return problemReply(404, 'NOT_FOUND');
  };

  const listening = await listen(server);
  return {
    url: listening.url,
    requests,
    orderPosts: () => requests.filter((request) => request.method === 'POST' && request.path === '/api/v1/orders'),
    close: listening.close,
  };
}

export function problemReply(status: number, code: string, extra: Record<string, unknown> = {}): StubReply {
  return { status, body: { type: 'about:blank', title: code, status, code, ...extra } };
}

interface RestOrderView {
  order: Record<string, unknown>;
  notifications: unknown[];
  degraded: string[];
  source?: string;
  stale?: boolean;
  lagSeconds?: number;
}

/**
 * The GraphQL answer the gateway gives for the REST order view a test scripted: notification down
 * (degraded) becomes `notifications: null` plus an error; a problem becomes `order: null` plus an
 * error with its code (429 stays 429, as the gateway refuses it before running the query).
 */
function graphqlOrderView(reply: StubReply): StubReply {
  if (reply.status === 200) {
    const view = reply.body as RestOrderView;
    const degraded = view.degraded.includes('notification');
    return {
      ...reply,
      body: {
        data: {
          order: {
            source: view.source === 'read-model' ? 'READ_MODEL' : 'ORDER',
            stale: view.stale ?? null,
            lagSeconds: view.lagSeconds ?? null,
            order: { cancellationReason: null, ...view.order },
            notifications: degraded ? null : view.notifications,
          },
        },
        ...(degraded
          ? { errors: [{ message: 'notification is unavailable', extensions: { code: 'DEPENDENCY_UNAVAILABLE' } }] }
          : {}),
      },
    };
  }
  const problem = (reply.body ?? {}) as { code?: string; detail?: string; retryAfterSeconds?: number };
  const retryAfter = problem.retryAfterSeconds ?? Number(reply.headers?.['Retry-After'] ?? Number.NaN);
  return {
    ...reply,
    status: reply.status === 429 ? 429 : 200,
    body: {
      data: reply.status === 429 ? null : { order: null },
      errors: [
        {
          message: problem.detail ?? problem.code ?? 'error',
          extensions: {
            code: problem.code ?? 'INTERNAL',
            ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
          },
        },
      ],
    },
  };
}
