import { trace } from '@opentelemetry/api';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { createServiceApp, type ServiceAppOptions } from '../src/app/createServiceApp.ts';
import { respond, type OperationHandler, type OperationRequest } from '../src/app/handlerTypes.ts';
import { AppError } from '../src/errors/AppError.ts';
import { cpuProfileRunning } from '../src/observability/cpuProfile.ts';
import { createMetrics } from '../src/observability/metrics.ts';
import { createResiliencePolicy } from '../src/resilience/createResiliencePolicy.ts';
import { ResilienceEventLog } from '../src/resilience/ResilienceEventLog.ts';
import { capturedLogger } from './support/logCapture.ts';
import { ordersSpec } from './support/ordersSpec.ts';

// Generated-style (openapi-typescript) operation types for two of the spec's operations.
interface operations {
  placeOrder: {
    parameters: { query?: never; header: { 'Idempotency-Key': string }; path?: never; cookie?: never };
    requestBody: { content: { 'application/json': { items: { productId: string; quantity: number }[] } } };
    responses: { 201: { headers: { [name: string]: unknown }; content: { 'application/json': { id: string } } } };
  };
  getOrder: {
    parameters: {
      query?: { limit?: number; tag?: string[] };
      header?: never;
      path: { orderId: string };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: { [name: string]: unknown };
        content: { 'application/json': { id: string; limit: number; tags: string[] } };
      };
    };
  };
}

const seen: { placeOrder: OperationRequest<operations['placeOrder']>[]; traceIds: string[] } = {
  placeOrder: [],
  traceIds: [],
};

const placeOrder: OperationHandler<operations['placeOrder']> = (request) => {
  seen.placeOrder.push(request);
  return respond(201, { id: 'order-1' }, { Location: '/orders/order-1' });
};
const getOrder: OperationHandler<operations['getOrder']> = ({ params, query, log }) => {
  seen.traceIds.push(trace.getActiveSpan()?.spanContext().traceId ?? 'none');
  log.info('reading order');
  return respond(200, { id: params.orderId, limit: query.limit ?? 0, tags: query.tag ?? [] });
};

function build(overrides: Partial<ServiceAppOptions> = {}) {
  const { logger, lines } = capturedLogger('orders');
  const resilienceEvents = new ResilienceEventLog();
  const app = createServiceApp({
    name: 'orders',
    spec: ordersSpec,
    // Stand-in handlers answer what the test needs, not what the spec says.
    validateResponses: 'off',
    logger,
    metrics: createMetrics('orders', { defaultMetrics: false }),
    resilienceEvents,
    bodyLimit: 1024,
    handlers: {
      placeOrder,
      getOrder,
      fail: ({ params }: { params: { kind: string } }) => {
        if (params.kind === 'bug') throw new Error('connection to postgres://admin:hunter2@db failed');
        throw new AppError('DEPENDENCY_UNAVAILABLE', {
          detail: 'inventory is unavailable (circuit open)',
          retryAfterSeconds: 5,
        });
      },
      getPublic: () => ({ status: 204 }),
    },
    ...overrides,
  });
  return { app, lines, resilienceEvents };
}

const orderId = '3f6c1a52-8d1e-4b8a-9c7e-2a1f5e9d4b10';
const validOrder = { items: [{ productId: 'espresso-1kg', quantity: 2 }] };
const keyed = { 'idempotency-key': 'checkout-7f3a9c21' };

afterEach(() => {
  seen.placeOrder.length = 0;
  seen.traceIds.length = 0;
});

describe('routes from the spec', () => {
  it('hands the handler the validated request and answers with its status, headers and body', async () => {
    const { app } = build();
    const res = await app.inject({ method: 'POST', url: '/orders', headers: keyed, payload: validOrder });
    expect(res.statusCode).toBe(201);
    expect(res.headers.location).toBe('/orders/order-1');
    expect(res.json()).toEqual({ id: 'order-1' });
    expect(seen.placeOrder[0]).toMatchObject({
      headers: { 'Idempotency-Key': 'checkout-7f3a9c21' },
      body: validOrder,
      operationId: 'placeOrder',
    });
  });

  it('coerces query and path parameters and applies defaults', async () => {
    const { app } = build();
    const withLimit = await app.inject({ url: `/orders/${orderId}?limit=5&tag=a` });
    expect(withLimit.json()).toEqual({ id: orderId, limit: 5, tags: ['a'] });
    const withDefault = await app.inject({ url: `/orders/${orderId}` });
    expect(withDefault.json()).toMatchObject({ limit: 10 });
  });

  it('answers 400 problem+json listing every invalid field, unknown fields included', async () => {
    const { app } = build();
    const res = await app.inject({
      method: 'POST',
      url: '/orders',
      headers: keyed,
      payload: { items: [{ productId: 'espresso-1kg', quantity: 500 }], coupon: 'FREE' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    const problem = res.json();
    expect(problem).toMatchObject({
      type: '/problems/validation-failed',
      title: 'Request validation failed',
      status: 400,
      code: 'VALIDATION_FAILED',
      instance: '/orders',
    });
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { in: 'body', path: '/items/0/quantity', message: 'must be <= 100' },
        { in: 'body', path: '/coupon', message: 'is not an allowed field' },
      ]),
    );
  });

  it('rejects bad parameters with their location', async () => {
    const { app } = build();
    const res = await app.inject({ url: '/orders/not-a-uuid?limit=500' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ in: 'path', path: '/orderId' }),
        expect.objectContaining({ in: 'query', path: '/limit', message: 'must be <= 50' }),
      ]),
    );
  });

  it('answers IDEMPOTENCY_KEY_MISSING when the Idempotency-Key header is missing', async () => {
    const { app } = build();
    const res = await app.inject({ method: 'POST', url: '/orders', payload: validOrder });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'IDEMPOTENCY_KEY_MISSING',
      errors: [expect.objectContaining({ in: 'header', path: '/Idempotency-Key', message: 'is required' })],
    });
  });

  it('answers VALIDATION_FAILED naming the header when the Idempotency-Key is too short, too long or malformed', async () => {
    const { app } = build();
    const cases = [
      ['short', 'must NOT have fewer than 8 characters'],
      ['k'.repeat(129), 'must NOT have more than 128 characters'],
      ['bad key!', 'must match pattern'],
    ] as const;
    for (const [key, message] of cases) {
      const res = await app.inject({
        method: 'POST',
        url: '/orders',
        headers: { 'idempotency-key': key },
        payload: validOrder,
      });
      expect(res.statusCode).toBe(400);
      const problem = res.json();
      expect(problem.code).toBe('VALIDATION_FAILED');
      expect(problem.errors).toEqual([
        expect.objectContaining({ in: 'header', path: '/Idempotency-Key', message: expect.stringContaining(message) }),
      ]);
      expect(problem.detail).not.toContain('required');
    }
  });

  it('answers 400 naming the field for a string holding U+0000, in the body, the query or the path', async () => {
    const { app } = build();
    const body = await app.inject({
      method: 'POST',
      url: '/orders',
      headers: keyed,
      payload: { items: [{ productId: 'espresso\u00001kg', quantity: 2 }] },
    });
    expect(body.statusCode).toBe(400);
    expect(body.json().code).toBe('VALIDATION_FAILED');
    expect(body.json().errors).toContainEqual({
      in: 'body',
      path: '/items/0/productId',
      message: 'must not contain U+0000 (NUL)',
    });
    const query = await app.inject({ url: `/orders/${orderId}?tag=a%00b` });
    expect(query.statusCode).toBe(400);
    expect(query.json().errors).toEqual([{ in: 'query', path: '/tag/0', message: 'must not contain U+0000 (NUL)' }]);
    expect(seen.placeOrder).toHaveLength(0);
  });

  it('answers 400 MALFORMED_JSON for a body that is not JSON', async () => {
    const { app } = build();
    const res = await app.inject({
      method: 'POST',
      url: '/orders',
      headers: { ...keyed, 'content-type': 'application/json' },
      payload: '{"items": [',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'MALFORMED_JSON', type: '/problems/malformed-json' });
  });

  it('answers 400 when the required body is missing', async () => {
    const { app } = build();
    const res = await app.inject({ method: 'POST', url: '/orders', headers: keyed });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ in: 'body', path: '', message: 'request body is required' }],
    });
  });

  it('answers 413 for a body over the limit', async () => {
    const { app } = build();
    const items = Array.from({ length: 60 }, (_, i) => ({ productId: `product-${i}`, quantity: 1 }));
    const res = await app.inject({ method: 'POST', url: '/orders', headers: keyed, payload: { items } });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', detail: 'The limit is 1024 bytes.' });
  });

  it('answers 415 for a media type the operation does not accept', async () => {
    const { app } = build();
    for (const contentType of ['text/plain', 'application/xml']) {
      const res = await app.inject({
        method: 'POST',
        url: '/orders',
        headers: { ...keyed, 'content-type': contentType },
        payload: 'items=1',
      });
      expect(res.statusCode).toBe(415);
      expect(res.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 });
    }
  });

  it('answers 404 problem+json for an unknown route', async () => {
    const { app } = build();
    const res = await app.inject({ url: '/nowhere' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND', instance: '/nowhere' });
  });

  it('answers 405 with an Allow header for a known path asked with a method it does not have', async () => {
    const { app } = build();
    const put = await app.inject({ method: 'PUT', url: `/orders/${orderId}?limit=5`, payload: {} });
    expect(put.statusCode).toBe(405);
    expect(put.headers.allow).toBe('GET, HEAD');
    expect(put.headers['content-type']).toBe('application/problem+json');
    expect(put.json()).toMatchObject({
      code: 'METHOD_NOT_ALLOWED',
      status: 405,
      instance: `/orders/${orderId}`,
      detail: `/orders/${orderId} answers GET, HEAD, not PUT.`,
    });
    const deleteAll = await app.inject({ method: 'DELETE', url: '/orders' });
    expect(deleteAll.statusCode).toBe(405);
    expect(deleteAll.headers.allow).toBe('POST');
    // A QUERY without a Content-Type is refused by Fastify before routing ends: still a 405 here.
    const query = await app.inject({ method: 'QUERY', url: '/orders' });
    expect(query.statusCode).toBe(405);
    expect(query.headers.allow).toBe('POST');
    expect((await app.inject({ method: 'QUERY', url: '/nowhere' })).statusCode).toBe(404);
    // Deeper than any route: still unknown.
    expect((await app.inject({ method: 'PUT', url: `/orders/${orderId}/lines` })).statusCode).toBe(404);
  });

  it('answers a thrown AppError with its problem and Retry-After', async () => {
    const { app } = build();
    const res = await app.inject({ url: '/failures/unavailable' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toEqual({
      type: '/problems/dependency-unavailable',
      title: 'A dependency is unavailable',
      status: 503,
      code: 'DEPENDENCY_UNAVAILABLE',
      detail: 'inventory is unavailable (circuit open)',
      instance: '/failures/unavailable',
      retryAfterSeconds: 5,
    });
  });

  it('answers any other thrown error with a 500 that leaks nothing, and logs it', async () => {
    const { app, lines } = build();
    const res = await app.inject({ url: '/failures/bug' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      type: '/problems/internal',
      title: 'Internal server error',
      status: 500,
      code: 'INTERNAL',
      instance: '/failures/bug',
    });
    expect(res.body).not.toContain('hunter2');
    const logged = lines.find((line) => line.msg === 'request failed');
    expect(logged).toMatchObject({ level: 50, err: { message: expect.stringContaining('postgres://') } });
  });

  it('refuses to build when an operation has no handler or a handler has no operation', () => {
    const withoutPlaceOrder = { getOrder, fail: () => ({ status: 200 }), getPublic: () => ({ status: 204 }) };
    expect(() => build({ handlers: withoutPlaceOrder })).toThrow(/no handler for operation\(s\): placeOrder/);
    expect(() =>
      build({ handlers: { ...withoutPlaceOrder, placeOrder, cancelOrder: () => ({ status: 200 }) } }),
    ).toThrow(/cancelOrder/);
  });

  it('types handlers from openapi-typescript operations', () => {
    expectTypeOf<OperationRequest<operations['getOrder']>['params']>().toEqualTypeOf<{ orderId: string }>();
    expectTypeOf<OperationRequest<operations['placeOrder']>['headers']>().toEqualTypeOf<{
      'Idempotency-Key': string;
    }>();
    // @ts-expect-error 404 is not a documented response of placeOrder
    const wrongStatus: OperationHandler<operations['placeOrder']> = () => respond(404, { id: 'x' });
    expect(wrongStatus).toBeTypeOf('function');
  });
});

describe('route prefix', () => {
  it('serves the spec under the prefix and the built-in routes at the root', async () => {
    const { app } = build({ routePrefix: '/api/v1' });
    expect((await app.inject({ url: `/api/v1/orders/${orderId}` })).statusCode).toBe(200);
    expect((await app.inject({ url: `/orders/${orderId}` })).statusCode).toBe(404);
    expect((await app.inject({ url: '/health/live' })).statusCode).toBe(200);
  });
});

describe('service token', () => {
  it('requires X-Service-Token on operations secured by the serviceToken scheme', async () => {
    const { app } = build({ serviceToken: 's3cret-token' });
    const url = `/orders/${orderId}`;
    expect((await app.inject({ url })).statusCode).toBe(401);
    const wrong = await app.inject({ url, headers: { 'x-service-token': 's3cret-tokem' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'UNAUTHENTICATED', type: '/problems/unauthenticated' });
    expect((await app.inject({ url, headers: { 'x-service-token': 's3cret-token' } })).statusCode).toBe(200);
  });

  it('checks the token before parsing or validating the body', async () => {
    const { app } = build({ serviceToken: 's3cret-token' });
    const res = await app.inject({
      method: 'POST',
      url: '/orders',
      headers: { 'content-type': 'application/json' },
      payload: '{',
    });
    expect(res.statusCode).toBe(401);
  });

  it('leaves operations with empty security and the health and metrics routes open', async () => {
    const { app } = build({ serviceToken: 's3cret-token' });
    expect((await app.inject({ url: '/public' })).statusCode).toBe(204);
    expect((await app.inject({ url: '/health/live' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(200);
  });

  it('requires X-Service-Token on GET and DELETE /admin/resilience when the app has a token', async () => {
    const { app, resilienceEvents } = build({ serviceToken: 's3cret-token' });
    resilienceEvents.record('inventory', { type: 'breaker', from: 'closed', to: 'open' });
    const refused = await app.inject({ url: '/admin/resilience' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    const wrongDelete = await app.inject({
      method: 'DELETE',
      url: '/admin/resilience',
      headers: { 'x-service-token': 'nope' },
    });
    expect(wrongDelete.statusCode).toBe(401);
    const token = { 'x-service-token': 's3cret-token' };
    expect((await app.inject({ url: '/admin/resilience', headers: token })).json().events).toHaveLength(1);
    expect((await app.inject({ method: 'DELETE', url: '/admin/resilience', headers: token })).statusCode).toBe(204);
    expect((await app.inject({ url: '/admin/resilience', headers: token })).json().events).toEqual([]);
  });
});

describe('built-in routes', () => {
  it('reports ready only when every check passes', async () => {
    let brokerUp = false;
    const { app } = build({
      healthChecks: {
        postgres: async () => undefined,
        rabbitmq: async () => {
          if (!brokerUp) throw new Error('not connected');
        },
      },
    });
    const down = await app.inject({ url: '/health/ready' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ status: 'failing', checks: { postgres: 'ok', rabbitmq: 'failing' } });
    brokerUp = true;
    const up = await app.inject({ url: '/health/ready' });
    expect(up.statusCode).toBe(200);
    expect(up.json()).toEqual({ status: 'ok', checks: { postgres: 'ok', rabbitmq: 'ok' } });
    expect((await app.inject({ url: '/health/live' })).json()).toEqual({ status: 'ok', checks: {} });
  });

  it('captures a CPU profile of the next n ms on POST /admin/cpu-profile, behind the token, one at a time', async () => {
    const { app } = build({ serviceToken: 's3cret-token' });
    const token = { 'x-service-token': 's3cret-token' };
    expect((await app.inject({ method: 'POST', url: '/admin/cpu-profile?ms=100' })).statusCode).toBe(401);
    for (const ms of ['10', '999999', 'abc']) {
      const bad = await app.inject({ method: 'POST', url: `/admin/cpu-profile?ms=${ms}`, headers: token });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ in: 'query', path: '/ms' }] });
    }
    // Something to sample while the first capture runs; the second capture is refused meanwhile.
    const spin = (until: number): number => {
      let n = 0;
      while (Date.now() < until) n += Math.sqrt(n + 1);
      return n;
    };
    const first = app.inject({ method: 'POST', url: '/admin/cpu-profile?ms=300', headers: token });
    await vi.waitFor(() => expect(cpuProfileRunning()).toBe(true), { timeout: 5_000, interval: 5 });
    const second = await app.inject({ method: 'POST', url: '/admin/cpu-profile?ms=100', headers: token });
    expect(second.statusCode).toBe(429);
    expect(second.headers['retry-after']).toMatch(/^\d+$/);
    spin(Date.now() + 150);
    const profile = (await first).json() as {
      nodes: Array<{ callFrame: { functionName: string } }>;
      samples: number[];
    };
    expect(profile.samples.length).toBeGreaterThan(10);
    expect(profile.nodes.map((node) => node.callFrame.functionName)).toContain('spin');
    // Free again once the capture ended.
    expect((await app.inject({ method: 'POST', url: '/admin/cpu-profile?ms=50', headers: token })).statusCode).toBe(
      200,
    );
  });

  it('serves request metrics labelled by route template', async () => {
    const { app } = build();
    await app.inject({ url: `/orders/${orderId}` });
    const res = await app.inject({ url: '/metrics' });
    expect(res.headers['content-type']).toContain('text/plain');
    const countLine = res.body
      .split('\n')
      .find((line) => line.startsWith('harness_http_server_duration_seconds_count'));
    expect(countLine).toContain('route="/orders/:orderId"');
    expect(countLine).toContain('method="GET"');
    expect(countLine).toMatch(/status="200".* 1$/);
  });

  it('serves and resets the resilience event log', async () => {
    const { app, resilienceEvents } = build();
    resilienceEvents.record('inventory', { type: 'breaker', from: 'closed', to: 'open' });
    const cutoff = resilienceEvents.list()[0]!.atMs;
    await new Promise((resolve) => setTimeout(resolve, 5));
    resilienceEvents.record('inventory', { type: 'breaker', from: 'open', to: 'half-open' });
    const all = await app.inject({ url: '/admin/resilience' });
    expect(all.json().events).toHaveLength(2);
    const recent = await app.inject({ url: `/admin/resilience?since=${cutoff}` });
    expect(recent.json().events).toMatchObject([{ type: 'breaker', dependency: 'inventory', to: 'half-open' }]);
    expect((await app.inject({ url: '/admin/resilience?since=yesterday' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'DELETE', url: '/admin/resilience' })).statusCode).toBe(204);
    expect((await app.inject({ url: '/admin/resilience' })).json().events).toEqual([]);
  });

  it('serves the effective settings of every policy writing to the log', async () => {
    const { app, resilienceEvents } = build();
    createResiliencePolicy('payment', { timeoutMs: 750, retry: { maxAttempts: 2 } }, { events: resilienceEvents });
    const { policies } = (await app.inject({ url: '/admin/resilience' })).json();
    expect(policies.payment).toMatchObject({
      timeoutMs: 750,
      retry: { maxAttempts: 2, initialDelayMs: 100 },
      breaker: { threshold: 5 },
      bulkhead: { limit: 20, queue: 50 },
    });
  });
});

describe('trace context', () => {
  it('continues an incoming traceparent in the handler and in every request log line', async () => {
    const { app, lines } = build();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await app.inject({ url: `/orders/${orderId}`, headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(seen.traceIds).toEqual([traceId]);
    const requestLines = lines.filter((line) => line.reqId !== undefined);
    expect(requestLines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['incoming request', 'reading order', 'request completed']),
    );
    expect(requestLines.every((line) => line.trace_id === traceId)).toBe(true);
  });

  it('starts a new trace when the request carries none', async () => {
    const { app } = build();
    await app.inject({ url: `/orders/${orderId}` });
    expect(seen.traceIds[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(seen.traceIds[0]).not.toBe('00000000000000000000000000000000');
  });
});
