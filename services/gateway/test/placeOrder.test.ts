import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmedOrder, orderId, placeOrderBody, problem } from './support/fixtures.ts';
import { fullAuth, gatewayUnderTest, serviceToken } from './support/gatewayUnderTest.ts';
import { unreachableUrl } from './support/stubService.ts';
import { dependencyStubs } from './support/stubs.ts';

const { stubs, ready } = dependencyStubs();
// The id of the key `fullAuth` presents (support/gatewayUnderTest.ts).
const OWNER = 'demo';
let app: FastifyInstance;

beforeAll(async () => {
  await ready;
  app = gatewayUnderTest({
    orderUrl: stubs.order.url,
    inventoryUrl: stubs.inventory.url,
    notificationUrl: stubs.notification.url,
  }).app;
});
afterAll(() => app.close());

const placeOrder = (target: FastifyInstance = app) =>
  target.inject({
    method: 'POST',
    url: '/api/v1/orders',
    headers: { ...fullAuth, 'idempotency-key': 'checkout-7f3a9c21' },
    payload: placeOrderBody,
  });

describe('POST /api/v1/orders', () => {
  it('passes the order and its Idempotency-Key to the order service and answers 201 with the public order and Location', async () => {
    stubs.order.handler = () => ({
      status: 201,
      body: { ...confirmedOrder, sagaStep: 'DONE', paymentToken: 'tok_approve' },
      headers: { location: `/orders/${orderId}` },
    });
    const response = await placeOrder();
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual(confirmedOrder);
    expect(response.headers.location).toBe(`/api/v1/orders/${orderId}`);
    expect(stubs.order.calls).toHaveLength(1);
    const call = stubs.order.calls[0]!;
    expect(call).toMatchObject({ method: 'POST', url: '/orders', body: placeOrderBody });
    expect(call.headers['idempotency-key']).toBe('checkout-7f3a9c21');
    expect(call.headers['x-service-token']).toBe(serviceToken);
    expect(call.headers.authorization).toBeUndefined();
    // The order's owner is the API key's id, never the key.
    expect(call.headers['x-owner-id']).toBe(OWNER);
  });

  it('keeps Idempotent-Replayed on a replayed 201', async () => {
    stubs.order.handler = () => ({ status: 201, body: confirmedOrder, headers: { 'idempotent-replayed': 'true' } });
    const response = await placeOrder();
    expect(response.headers['idempotent-replayed']).toBe('true');
  });

  it('answers 202 with Location, statusUrl and Retry-After pointing at the public order view', async () => {
    stubs.order.handler = () => ({
      status: 202,
      body: { orderId, status: 'PENDING', statusUrl: `/orders/${orderId}` },
      headers: { location: `/orders/${orderId}`, 'retry-after': '2' },
    });
    const response = await placeOrder();
    expect(response.statusCode).toBe(202);
    expect(response.headers.location).toBe(`/api/v1/orders/${orderId}`);
    expect(response.headers['retry-after']).toBe('2');
    expect(response.json()).toEqual({ orderId, status: 'PENDING', statusUrl: `/api/v1/orders/${orderId}` });
  });

  it('relays 402 PAYMENT_DECLINED', async () => {
    stubs.order.handler = () => ({
      status: 402,
      body: problem(402, 'PAYMENT_DECLINED', { detail: 'The card issuer declined the payment.', orderId }),
    });
    const response = await placeOrder();
    expect(response.statusCode).toBe(402);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json()).toMatchObject({
      status: 402,
      code: 'PAYMENT_DECLINED',
      detail: 'The card issuer declined the payment.',
      orderId,
    });
  });

  it('relays 409 OUT_OF_STOCK with the product that ran out', async () => {
    stubs.order.handler = () => ({
      status: 409,
      body: problem(409, 'OUT_OF_STOCK', { productId: 'espresso-1kg', orderId }),
    });
    const response = await placeOrder();
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'OUT_OF_STOCK', productId: 'espresso-1kg', orderId });
  });

  it('relays 409 IDEMPOTENCY_CONFLICT with its Retry-After', async () => {
    stubs.order.handler = () => ({
      status: 409,
      body: problem(409, 'IDEMPOTENCY_CONFLICT', { retryAfterSeconds: 1 }),
      headers: { 'retry-after': '1' },
    });
    const response = await placeOrder();
    expect(response.statusCode).toBe(409);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.json()).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
  });

  it('relays 422 IDEMPOTENCY_KEY_REUSED', async () => {
    stubs.order.handler = () => ({ status: 422, body: problem(422, 'IDEMPOTENCY_KEY_REUSED') });
    const response = await placeOrder();
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it("relays order's 503 with its Retry-After, once (no retry of a considered answer)", async () => {
    stubs.order.handler = () => ({
      status: 503,
      body: problem(503, 'DEPENDENCY_UNAVAILABLE', {
        detail: 'payment is unavailable (circuit open)',
        retryAfterSeconds: 4,
      }),
      headers: { 'retry-after': '4' },
    });
    const response = await placeOrder();
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('4');
    expect(response.json()).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      detail: 'payment is unavailable (circuit open)',
    });
    expect(stubs.order.calls).toHaveLength(1);
  });

  it("keeps the cancelled order's id, reason and Retry-After on order's 503", async () => {
    stubs.order.handler = () => ({
      status: 503,
      body: problem(503, 'DEPENDENCY_UNAVAILABLE', {
        detail: 'payment is unavailable (circuit open)',
        retryAfterSeconds: 2,
        orderId,
        cancellationReason: 'PAYMENT_UNAVAILABLE',
      }),
      headers: { 'retry-after': '2' },
    });
    const response = await placeOrder();
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.headers['retry-after']).toBe('2');
    expect(response.json()).toEqual({
      type: '/problems/dependency-unavailable',
      title: 'A dependency is unavailable',
      status: 503,
      code: 'DEPENDENCY_UNAVAILABLE',
      detail: 'payment is unavailable (circuit open)',
      instance: '/api/v1/orders',
      retryAfterSeconds: 2,
      orderId,
      cancellationReason: 'PAYMENT_UNAVAILABLE',
    });
  });

  it("drops a cancellation reason on order's 503 that the gateway contract does not name", async () => {
    stubs.order.handler = () => ({
      status: 503,
      body: problem(503, 'DEPENDENCY_UNAVAILABLE', { orderId, cancellationReason: 'SOMETHING_NEW', internal: 1 }),
    });
    const body = (await placeOrder()).json();
    expect(body.orderId).toBe(orderId);
    expect(body).not.toHaveProperty('cancellationReason');
    expect(body).not.toHaveProperty('internal');
  });

  it("keeps calling order through a run of order's own 503 answers (they do not open its breaker)", async () => {
    stubs.order.handler = () =>
      stubs.order.calls.length <= 12
        ? { status: 503, body: problem(503, 'DEPENDENCY_UNAVAILABLE'), headers: { 'retry-after': '1' } }
        : { status: 201, body: confirmedOrder };
    for (let request = 0; request < 12; request++) expect((await placeOrder()).statusCode).toBe(503);
    expect((await placeOrder()).statusCode).toBe(201);
    expect(stubs.order.calls).toHaveLength(13);
  });

  it('answers 503 problem+json (never a raw 500) when order answers 500', async () => {
    stubs.order.handler = () => ({ status: 500, body: { oops: true } });
    const response = await placeOrder();
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.headers['retry-after']).toBeDefined();
  });

  it('answers 503 instead of relaying a 401 from order (a gateway misconfiguration, not the client)', async () => {
    stubs.order.handler = () => ({ status: 401, body: problem(401, 'UNAUTHENTICATED') });
    const response = await placeOrder();
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
  });

  it('retries with the same Idempotency-Key when the connection breaks before an answer', async () => {
    stubs.order.handler = () => {
      if (stubs.order.calls.length === 1) return { destroy: true };
      return { status: 201, body: confirmedOrder };
    };
    const response = await placeOrder();
    expect(response.statusCode).toBe(201);
    expect(stubs.order.calls).toHaveLength(2);
    expect(stubs.order.calls.map((call) => call.headers['idempotency-key'])).toEqual([
      'checkout-7f3a9c21',
      'checkout-7f3a9c21',
    ]);
  });
});

describe('when the order service is unreachable', () => {
  it('answers 503 problem+json with Retry-After, and opens the order breaker', async () => {
    const { app: isolated, events } = gatewayUnderTest({
      orderUrl: await unreachableUrl(),
      inventoryUrl: stubs.inventory.url,
      notificationUrl: stubs.notification.url,
    });
    try {
      const response = await placeOrder(isolated);
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(response.json()).toMatchObject({ status: 503, code: 'DEPENDENCY_UNAVAILABLE' });
      for (let request = 0; request < 10; request++) expect((await placeOrder(isolated)).statusCode).toBe(503);
      const shortCircuited = await placeOrder(isolated);
      expect(shortCircuited.statusCode).toBe(503);
      expect(shortCircuited.json().detail).toContain('circuit open');
      expect(events.list()).toContainEqual(
        expect.objectContaining({ dependency: 'order', type: 'breaker', to: 'open' }),
      );
    } finally {
      await isolated.close();
    }
  });

  it('answers 503 when order does not answer within the timeout', async () => {
    stubs.order.handler = () => ({ hang: true });
    const { app: impatient } = gatewayUnderTest({
      orderUrl: stubs.order.url,
      inventoryUrl: stubs.inventory.url,
      notificationUrl: stubs.notification.url,
      orderTimeoutMs: 200,
    });
    try {
      const response = await placeOrder(impatient);
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
      expect(response.headers['retry-after']).toBeDefined();
    } finally {
      await impatient.close();
    }
  });
});
