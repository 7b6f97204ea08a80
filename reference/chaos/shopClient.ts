import { randomBytes } from 'node:crypto';
import type { LineItemSpec, ResponseRecord, WorkloadClient } from '@harness/chaos';
import { OrderViewDocument } from '@harness/contracts/graphql/gateway';

/**
 * The workload's view of the public API: plain fetch to the gateway on 127.0.0.1 with the run's
 * demo API key. Every request has a deadline, so a workload is bounded in time as well as count.
 * With `over: 'graphql'` (the client of link L10) order views are read as the storefront reads
 * them: the generated OrderView operation, POST /api/graphql.
 */
export function createGatewayClient(options: {
  baseUrl: string;
  apiKey: string;
  requestTimeoutMs?: number;
  over?: 'rest' | 'graphql';
}): WorkloadClient {
  const timeoutMs = options.requestTimeoutMs ?? 15_000;
  const headers = { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' };

  async function send(
    stream: string,
    kind: ResponseRecord['kind'],
    key: string,
    request: { method: string; path: string; body?: unknown; headers?: Record<string, string> },
    intact: (status: number, body: unknown) => boolean,
    marksOf: (body: unknown) => string[] = () => [],
  ): Promise<ResponseRecord> {
    // Each request starts its own trace, so the report can link a failed or slow one to it.
    const traceId = randomBytes(16).toString('hex');
    const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
    const startMs = Date.now();
    try {
      const response = await fetch(`${options.baseUrl}${request.path}`, {
        method: request.method,
        headers: { ...headers, ...request.headers, traceparent },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      const endMs = Date.now();
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = undefined;
      }
      const fields = problemFields(body);
      const order = fields.order as Record<string, unknown> | undefined;
      const orderId = [fields.id, fields.orderId, order?.id].find((value) => typeof value === 'string') as
        string | undefined;
      return {
        stream,
        kind,
        key,
        startMs,
        endMs,
        status: response.status,
        retryAfter: response.headers.get('retry-after') ?? undefined,
        orderId,
        problemCode: typeof fields.code === 'string' ? fields.code : undefined,
        detail: typeof fields.detail === 'string' ? fields.detail : undefined,
        bodyIntact: response.status >= 300 || intact(response.status, body),
        traceId,
        ...(response.ok ? { marks: marksOf(body) } : {}),
      };
    } catch (error) {
      return {
        stream,
        kind,
        key,
        startMs,
        endMs: Date.now(),
        status: 0,
        retryAfter: undefined,
        orderId: undefined,
        problemCode: undefined,
        detail: undefined,
        bodyIntact: false,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        traceId,
      };
    }
  }

  return {
    placeOrder(stream, key, items, paymentToken) {
      return send(
        stream,
        'place',
        key,
        { method: 'POST', path: '/api/v1/orders', body: { items, paymentToken }, headers: { 'idempotency-key': key } },
        (status, body) => placedOrderIntact(status, body, items),
      );
    },
    readOrder(stream, orderId) {
      if (options.over === 'graphql') {
        const request = {
          method: 'POST',
          path: '/api/graphql',
          body: { operationName: 'OrderView', query: OrderViewDocument.toString(), variables: { id: orderId } },
        };
        // Intact: the order asked for with its notifications, or with `notifications: null` and the
        // error entry that says why (the degraded view, marked `degraded`).
        return send(
          stream,
          'read',
          orderId,
          request,
          (_status, body) => {
            const view = graphqlOrderView(body);
            return view?.order?.id === orderId && (Array.isArray(view.notifications) || view.notifications === null);
          },
          (body) => (graphqlOrderView(body)?.notifications === null ? ['degraded'] : []),
        );
      }
      return send(stream, 'read', orderId, { method: 'GET', path: `/api/v1/orders/${orderId}` }, (_status, body) => {
        const view = body as { order?: { id?: unknown }; notifications?: unknown } | undefined;
        return view?.order?.id === orderId && Array.isArray(view.notifications);
      });
    },
    // The caller's order history, answered by the gateway's read model: marked `stale` when the
    // read model says it is behind (its lag above the gateway's bound).
    readHistory(stream) {
      return send(
        stream,
        'history',
        '',
        { method: 'GET', path: '/api/v1/orders?limit=5' },
        (_status, body) => {
          const history = body as { items?: unknown; lagSeconds?: unknown; stale?: unknown } | undefined;
          return Array.isArray(history?.items) && typeof history.lagSeconds === 'number';
        },
        (body) => ((body as { stale?: unknown } | undefined)?.stale === true ? ['stale'] : []),
      );
    },
    browseProducts(stream) {
      return send(stream, 'browse', '', { method: 'GET', path: '/api/v1/products' }, (_status, body) => {
        const items = (body as { items?: unknown } | undefined)?.items;
        return Array.isArray(items) && items.length > 0;
      });
    },
  };
}

interface GraphqlAnswer {
  data?: { order?: { order?: { id?: unknown }; notifications?: unknown } | null } | null;
  errors?: Array<{ message?: unknown; extensions?: { code?: unknown } }>;
}

const graphqlOrderView = (body: unknown) => (body as GraphqlAnswer | undefined)?.data?.order ?? undefined;

/**
 * The fields a record takes from an answer: a REST body as it is; a GraphQL answer's order view,
 * and its first error's code and message as `code` and `detail` (as a problem's).
 */
function problemFields(body: unknown): Record<string, unknown> {
  const answer = (body ?? {}) as GraphqlAnswer & Record<string, unknown>;
  if (!('data' in answer) && !('errors' in answer)) return answer;
  const first = answer.errors?.[0];
  return {
    order: answer.data?.order?.order,
    code: first?.extensions?.code,
    detail: first?.message,
  };
}

/** A 201 is the confirmed order with the items asked for; a 202 names the order and where to poll. */
export function placedOrderIntact(status: number, body: unknown, items: readonly LineItemSpec[]): boolean {
  const order = body as Record<string, unknown> | undefined;
  if (!order) return false;
  if (status === 202) return typeof order.orderId === 'string' && typeof order.statusUrl === 'string';
  if (typeof order.id !== 'string' || typeof order.totalCents !== 'number' || !Array.isArray(order.items)) return false;
  const got = (order.items as Array<{ productId?: unknown; quantity?: unknown }>).map(
    (i) => `${String(i.productId)}×${String(i.quantity)}`,
  );
  const asked = items.map((i) => `${i.productId}×${i.quantity}`);
  return got.sort().join(',') === asked.sort().join(',');
}
