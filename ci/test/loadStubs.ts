import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small stand-in for the gateway's public API (contracts/openapi/gateway.yaml) and the order
 * service's POST /orders, for tests of the load and bench wrappers: it answers the shapes the
 * k6 checks expect, and can call a "payment" dependency (through a Toxiproxy proxy in the chaos
 * test) with a short timeout, answering 503 + Retry-After when that dependency is too slow.
 */
export interface StubOptions {
  apiKey: string;
  serviceToken?: string;
  /** GET this URL while placing an order; slower than `dependencyTimeoutMs` → 503. */
  dependencyUrl?: string;
  dependencyTimeoutMs?: number;
  /** Jaeger's OTLP/HTTP base URL: each request with a `traceparent` exports a span of that trace there. */
  otlpUrl?: string;
}

export interface StubServer {
  url: string;
  counts: { products: number; orders: number; views: number; direct: number; unavailable: number };
  /** The trace id of every `traceparent` the stub was sent. */
  traceIds: Set<string>;
  close(): Promise<void>;
}

interface StoredOrder {
  id: string;
  status: 'PENDING' | 'CONFIRMED';
  polls: number;
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(JSON.stringify(body));
}

const problem = (status: number, title: string) => ({ type: 'about:blank', title, status });

function orderBody(id: string, status: string): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    id,
    status,
    items: [{ productId: 'p-bulk', quantity: 1, unitPriceCents: 100 }],
    totalCents: 100,
    currency: 'EUR',
    createdAt: now,
    updatedAt: now,
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

function callDependency(url: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.on('error', () => resolve(false));
  });
}

/** Exports one server span of the request's trace to Jaeger (OTLP/HTTP JSON), as service `load-stub`. */
function exportSpan(otlpUrl: string, traceparent: string, name: string, startedNs: bigint): void {
  const [, traceId, parentSpanId] = traceparent.split('-');
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'load-stub' } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId,
                spanId: randomUUID().replaceAll('-', '').slice(0, 16),
                parentSpanId,
                name,
                kind: 2,
                startTimeUnixNano: String(startedNs),
                endTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
              },
            ],
          },
        ],
      },
    ],
  };
  void fetch(`${otlpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).catch(() => undefined);
}

export async function startStubSystem(options: StubOptions): Promise<StubServer> {
  const orders = new Map<string, StoredOrder>();
  const counts = { products: 0, orders: 0, views: 0, direct: 0, unavailable: 0 };
  const traceIds = new Set<string>();

  async function placeOrder(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length < 8) return send(res, 400, problem(400, 'Idempotency-Key missing'));
    const body = JSON.parse(await readBody(req)) as { items?: unknown[]; paymentToken?: string };
    if (!Array.isArray(body.items) || typeof body.paymentToken !== 'string')
      return send(res, 400, problem(400, 'invalid body'));
    if (options.dependencyUrl && !(await callDependency(options.dependencyUrl, options.dependencyTimeoutMs ?? 200))) {
      counts.unavailable += 1;
      return send(res, 503, problem(503, 'payment unavailable'), { 'retry-after': '1' });
    }
    if (body.paymentToken === 'tok_decline') return send(res, 402, problem(402, 'payment declined'));
    const id = randomUUID();
    if (body.paymentToken === 'tok_slow') {
      orders.set(id, { id, status: 'PENDING', polls: 0 });
      return send(
        res,
        202,
        { orderId: id, status: 'PENDING', statusUrl: `/api/v1/orders/${id}` },
        { location: `/api/v1/orders/${id}` },
      );
    }
    orders.set(id, { id, status: 'CONFIRMED', polls: 0 });
    send(res, 201, orderBody(id, 'CONFIRMED'), { location: `/api/v1/orders/${id}` });
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    const route = `${req.method} ${url.pathname}`;
    const traceparent = req.headers.traceparent;
    if (typeof traceparent === 'string' && /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/.test(traceparent)) {
      traceIds.add(traceparent.slice(3, 35));
      if (options.otlpUrl !== undefined) {
        const otlpUrl = options.otlpUrl;
        const startedNs = BigInt(Date.now()) * 1_000_000n;
        res.on('finish', () => exportSpan(otlpUrl, traceparent, route, startedNs));
      }
    }
    if (route === 'POST /orders') {
      if (req.headers['x-service-token'] !== options.serviceToken) return send(res, 401, problem(401, 'no token'));
      counts.direct += 1;
      void placeOrder(req, res);
      return;
    }
    if (req.headers.authorization !== `Bearer ${options.apiKey}`) return send(res, 401, problem(401, 'no API key'));
    if (route === 'GET /api/v1/products') {
      counts.products += 1;
      const product = {
        id: 'p-bulk',
        sku: 'BULK-1',
        name: 'Bulk',
        description: 'load',
        priceCents: 100,
        currency: 'EUR',
      };
      return send(res, 200, { items: [{ ...product, available: 1_000_000 }] });
    }
    if (route === 'POST /api/v1/orders') {
      counts.orders += 1;
      void placeOrder(req, res).catch(() => send(res, 400, problem(400, 'malformed JSON')));
      return;
    }
    const view = /^GET \/api\/v1\/orders\/([0-9a-f-]+)$/.exec(route);
    if (view?.[1]) {
      counts.views += 1;
      const order = orders.get(view[1]);
      if (!order) return send(res, 404, problem(404, 'no such order'));
      order.polls += 1;
      if (order.status === 'PENDING' && order.polls >= 2) order.status = 'CONFIRMED';
      return send(res, 200, { order: orderBody(order.id, order.status), notifications: [], degraded: [] });
    }
    send(res, 404, problem(404, 'not found'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    traceIds,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
