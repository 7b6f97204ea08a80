import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { callDependency } from '../src/http/callDependency.ts';
import { createServiceClient, resilientFetch } from '../src/http/createServiceClient.ts';
import { inSpan, SpanKind } from '../src/observability/tracing.ts';
import { createResiliencePolicy } from '../src/resilience/createResiliencePolicy.ts';
import { ResilienceEventLog } from '../src/resilience/ResilienceEventLog.ts';
import { isBreakerFailureExceptDependencyUnavailable, isNetworkFailure } from '../src/resilience/dependencyFailures.ts';
import type { ResilienceSettingsInput } from '../src/resilience/resilienceSettings.ts';
import { startScriptedServer } from './support/scriptedServer.ts';

// A generated-style (openapi-typescript) description of a tiny stock API.
interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
}
interface paths {
  '/stock/{sku}': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: operations['getStock'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/reservations': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get?: never;
    put?: never;
    post: operations['reserveStock'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
interface operations {
  getStock: {
    parameters: { query?: never; header?: never; path: { sku: string }; cookie?: never };
    requestBody?: never;
    responses: {
      200: {
        headers: { [name: string]: unknown };
        content: { 'application/json': { sku: string; available: number } };
      };
      404: { headers: { [name: string]: unknown }; content: { 'application/problem+json': ProblemBody } };
    };
  };
  reserveStock: {
    parameters: { query?: never; header?: { 'Idempotency-Key'?: string }; path?: never; cookie?: never };
    requestBody: { content: { 'application/json': { sku: string; quantity: number } } };
    responses: {
      201: { headers: { [name: string]: unknown }; content: { 'application/json': { reservationId: string } } };
      503: { headers: { [name: string]: unknown }; content: { 'application/problem+json': ProblemBody } };
    };
  };
}

let server: Awaited<ReturnType<typeof startScriptedServer>>;
beforeAll(async () => (server = await startScriptedServer()));
afterAll(() => server.close());
beforeEach(() => void server.received.splice(0));

const fastRetries: ResilienceSettingsInput = {
  timeoutMs: 1_000,
  retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 10, maxRetryAfterMs: 2_000 },
  breaker: { threshold: 50 },
};

function stockClient(settings: ResilienceSettingsInput = fastRetries) {
  const events = new ResilienceEventLog();
  const policy = createResiliencePolicy('stock', settings, { events });
  const client = createServiceClient<paths>({ baseUrl: server.url, policy, serviceToken: 'secret-token' });
  return { client, events, policy };
}

const problem503 = {
  type: '/problems/dependency-unavailable',
  title: 'A dependency is unavailable',
  status: 503,
  code: 'DEPENDENCY_UNAVAILABLE',
};

describe('service client', () => {
  it('returns typed data and sends the service token and the caller trace context', async () => {
    server.script({ status: 200, body: { sku: 'moka-pot', available: 3 } });
    const { client } = stockClient();
    const { result, traceId } = await inSpan('handle request', { kind: SpanKind.SERVER }, async (span) => ({
      traceId: span.spanContext().traceId,
      result: await callDependency(() => client.GET('/stock/{sku}', { params: { path: { sku: 'moka-pot' } } })),
    }));
    expectTypeOf(result.data).toEqualTypeOf<{ sku: string; available: number } | undefined>();
    expect(result.data).toEqual({ sku: 'moka-pot', available: 3 });
    const [request] = server.received;
    expect(request?.headers['x-service-token']).toBe('secret-token');
    expect(request?.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  });

  it('retries an idempotent GET on 503 and returns the later success', async () => {
    server.script({ status: 503, body: problem503 }, { status: 200, body: { sku: 'a1', available: 1 } });
    const { client } = stockClient();
    const result = await callDependency(() => client.GET('/stock/{sku}', { params: { path: { sku: 'a1' } } }));
    expect(result.data).toEqual({ sku: 'a1', available: 1 });
    expect(server.received).toHaveLength(2);
  });

  it('does not retry a POST without Idempotency-Key and returns the 503 as an http error', async () => {
    server.script({ status: 503, body: problem503 }, { status: 201, body: { reservationId: 'r1' } });
    const { client } = stockClient();
    const result = await callDependency(() => client.POST('/reservations', { body: { sku: 'a1', quantity: 1 } }));
    expect(result.error).toMatchObject({ kind: 'http', status: 503, problem: { code: 'DEPENDENCY_UNAVAILABLE' } });
    expect(server.received).toHaveLength(1);
  });

  it('retries a POST that carries an Idempotency-Key, resending the same body and key', async () => {
    server.script({ drop: true }, { status: 201, body: { reservationId: 'r1' } });
    const { client } = stockClient();
    const result = await callDependency(() =>
      client.POST('/reservations', {
        body: { sku: 'a1', quantity: 2 },
        headers: { 'Idempotency-Key': 'reserve-order-1' },
      }),
    );
    expect(result.data).toEqual({ reservationId: 'r1' });
    expect(server.received).toHaveLength(2);
    expect(server.received.map((r) => [r.body, r.headers['idempotency-key']])).toEqual([
      ['{"sku":"a1","quantity":2}', 'reserve-order-1'],
      ['{"sku":"a1","quantity":2}', 'reserve-order-1'],
    ]);
  });

  it('honours Retry-After on 429 before retrying', async () => {
    server.script({ status: 429, headers: { 'retry-after': '1' } }, { status: 200, body: { sku: 'a1', available: 0 } });
    const { client, events } = stockClient();
    const started = Date.now();
    const result = await callDependency(() => client.GET('/stock/{sku}', { params: { path: { sku: 'a1' } } }));
    expect(result.data).toEqual({ sku: 'a1', available: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(events.list().find((e) => e.type === 'retry')).toMatchObject({ delayMs: 1000, reason: 'status 429' });
  });

  it('reports a dependency that keeps dropping connections as unavailable (network)', async () => {
    server.script({ drop: true });
    const { client } = stockClient();
    const result = await callDependency(() => client.GET('/stock/{sku}', { params: { path: { sku: 'a1' } } }));
    expect(result.error).toEqual({ kind: 'unavailable', reason: 'network' });
    expect(server.received).toHaveLength(3);
  });

  it('reports a slow dependency as unavailable (timeout)', async () => {
    server.script({ status: 200, body: { sku: 'a1', available: 1 }, delayMs: 400 });
    const { client } = stockClient({ ...fastRetries, timeoutMs: 50, retry: { maxAttempts: 1 } });
    const started = Date.now();
    const result = await callDependency(() => client.GET('/stock/{sku}', { params: { path: { sku: 'a1' } } }));
    expect(result.error).toEqual({ kind: 'unavailable', reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(300);
  });

  it('opens the circuit on 5xx and then fails fast without reaching the dependency', async () => {
    server.script({ status: 500, body: { ...problem503, status: 500, code: 'INTERNAL' } });
    const { client, policy } = stockClient({ ...fastRetries, breaker: { threshold: 3, halfOpenAfterMs: 10_000 } });
    const get = () => callDependency(() => client.GET('/stock/{sku}', { params: { path: { sku: 'a1' } } }));
    for (let i = 0; i < 3; i++) expect((await get()).error).toMatchObject({ kind: 'http', status: 500 });
    expect(policy.breakerState()).toBe('open');
    const result = await get();
    expect(result.error).toMatchObject({ kind: 'unavailable', reason: 'circuit_open' });
    expect(result.error?.retryAfterSeconds).toBeGreaterThanOrEqual(9);
    expect(server.received).toHaveLength(3);
  });

  it('returns a 404 problem as an http error without retrying or tripping the breaker', async () => {
    const notFound = { type: '/problems/not-found', title: 'Not found', status: 404, code: 'NOT_FOUND' };
    server.script({ status: 404, body: notFound });
    const { client, policy } = stockClient({ ...fastRetries, breaker: { threshold: 2 } });
    for (let i = 0; i < 3; i++) {
      const result = await callDependency(() => client.GET('/stock/{sku}', { params: { path: { sku: 'nope' } } }));
      expect(result.error).toEqual({ kind: 'http', status: 404, problem: notFound, body: notFound });
    }
    expect(server.received).toHaveLength(3);
    expect(policy.breakerState()).toBe('closed');
  });

  it('sends a WHATWG Request through resilientFetch, resending the same body and key', async () => {
    server.script({ drop: true }, { status: 201, body: { reservationId: 'r2' } });
    const policy = createResiliencePolicy('stock', fastRetries);
    const send = resilientFetch({ baseUrl: server.url, policy, serviceToken: 'secret-token' });
    const response = await send(
      new Request(`${server.url}/reservations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'reserve-order-2' },
        body: JSON.stringify({ sku: 'a2', quantity: 1 }),
      }),
    );
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ reservationId: 'r2' });
    expect(server.received.map((r) => [r.body, r.headers['x-service-token']])).toEqual([
      ['{"sku":"a2","quantity":1}', 'secret-token'],
      ['{"sku":"a2","quantity":1}', 'secret-token'],
    ]);
  });

  it('sends every attempt with an injected fetch when one is given', async () => {
    server.script({ status: 503, body: problem503 }, { status: 200, body: { sku: 'a3', available: 2 } });
    const seen: string[] = [];
    const policy = createResiliencePolicy('stock', fastRetries);
    const client = createServiceClient<paths>({
      baseUrl: server.url,
      policy,
      fetch: (request) => {
        seen.push(`${request.method} ${new URL(request.url).pathname}`);
        return fetch(request);
      },
    });
    const result = await callDependency(() => client.GET('/stock/{sku}', { params: { path: { sku: 'a3' } } }));
    expect(result.data).toEqual({ sku: 'a3', available: 2 });
    expect(seen).toEqual(['GET /stock/a3', 'GET /stock/a3']);
  });

  it('lets an opt-in breaker filter ignore a 503 DEPENDENCY_UNAVAILABLE problem but not other 5xx', async () => {
    server.script({ status: 503, body: problem503 });
    const policy = createResiliencePolicy(
      'stock',
      { ...fastRetries, retry: { maxAttempts: 1 }, breaker: { threshold: 2, halfOpenAfterMs: 10_000 } },
      { isBreakerFailure: isBreakerFailureExceptDependencyUnavailable },
    );
    const client = createServiceClient<paths>({ baseUrl: server.url, policy });
    const get = () => callDependency(() => client.GET('/stock/{sku}', { params: { path: { sku: 'a4' } } }));
    for (let i = 0; i < 3; i++) {
      const result = await get();
      expect(result.error).toMatchObject({ kind: 'http', status: 503, problem: { code: 'DEPENDENCY_UNAVAILABLE' } });
    }
    expect(policy.breakerState()).toBe('closed');
    server.script({ status: 503, body: 'proxy says no' });
    await get();
    await get();
    expect(policy.breakerState()).toBe('open');
  });

  it('retries only unanswered requests with the opt-in network-failure filter', async () => {
    server.script({ status: 503, body: problem503 }, { status: 200, body: { sku: 'a5', available: 1 } });
    const policy = createResiliencePolicy('stock', fastRetries, { isRetryable: isNetworkFailure });
    const client = createServiceClient<paths>({ baseUrl: server.url, policy });
    const answered = await callDependency(() => client.GET('/stock/{sku}', { params: { path: { sku: 'a5' } } }));
    expect(answered.error).toMatchObject({ kind: 'http', status: 503 });
    expect(server.received).toHaveLength(1);
    server.script({ drop: true }, { status: 200, body: { sku: 'a5', available: 1 } });
    const dropped = await callDependency(() => client.GET('/stock/{sku}', { params: { path: { sku: 'a5' } } }));
    expect(dropped.data).toEqual({ sku: 'a5', available: 1 });
  });
});
