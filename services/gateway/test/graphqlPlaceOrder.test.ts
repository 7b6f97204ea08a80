import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmedOrder, orderId, placeOrderBody, problem } from './support/fixtures.ts';
import { fullAuth, gatewayUnderTest, readOnlyAuth, serviceToken } from './support/gatewayUnderTest.ts';
import { dependencyStubs } from './support/stubs.ts';

const { stubs, ready } = dependencyStubs();
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

const withArgument = `mutation Place($input: PlaceOrderInput!, $key: String) {
  placeOrder(input: $input, idempotencyKey: $key) { orderId status replayed order { id status totalCents } }
}`;

const placeOrder = (
  variables: Record<string, unknown>,
  headers: Record<string, string> = fullAuth,
  query: string = withArgument,
) => app.inject({ method: 'POST', url: '/api/graphql', headers, payload: { query, variables } });

const settled = { orderId, status: 'CONFIRMED', order: { id: orderId, status: 'CONFIRMED', totalCents: 3798 } };

describe('mutation placeOrder', () => {
  it('passes the order and its idempotencyKey to the order service, as POST /api/v1/orders does', async () => {
    stubs.order.handler = () => ({ status: 201, body: confirmedOrder });
    const response = await placeOrder({ input: placeOrderBody, key: 'checkout-7f3a9c21' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ data: { placeOrder: { ...settled, replayed: false } } });
    const call = stubs.order.calls[0]!;
    expect(call).toMatchObject({ method: 'POST', url: '/orders', body: placeOrderBody });
    expect(call.headers['idempotency-key']).toBe('checkout-7f3a9c21');
    expect(call.headers['x-service-token']).toBe(serviceToken);
    expect(call.headers['x-owner-id']).toBe('demo');
    expect(call.headers.authorization).toBeUndefined();
  });

  it('replays the stored answer when the same key is sent twice (replayed: true)', async () => {
    const seen: string[] = [];
    stubs.order.handler = (request) => {
      const key = String(request.headers['idempotency-key']);
      const replay = seen.includes(key);
      seen.push(key);
      return { status: 201, body: confirmedOrder, headers: replay ? { 'idempotent-replayed': 'true' } : {} };
    };
    const first = await placeOrder({ input: placeOrderBody, key: 'checkout-replay-1' });
    const second = await placeOrder({ input: placeOrderBody, key: 'checkout-replay-1' });
    expect(first.json().data.placeOrder).toEqual({ ...settled, replayed: false });
    expect(second.json().data.placeOrder).toEqual({ ...settled, replayed: true });
  });

  it('takes the Idempotency-Key header when the argument is absent', async () => {
    stubs.order.handler = () => ({ status: 201, body: confirmedOrder });
    const response = await placeOrder({ input: placeOrderBody }, { ...fullAuth, 'idempotency-key': 'header-key-42' });
    expect(response.json().data.placeOrder.orderId).toBe(orderId);
    expect(stubs.order.calls[0]?.headers['idempotency-key']).toBe('header-key-42');
  });

  it('answers an order still being settled with order: null (REST 202)', async () => {
    stubs.order.handler = () => ({
      status: 202,
      body: { orderId, status: 'PENDING', statusUrl: `/orders/${orderId}` },
      headers: { 'retry-after': '1' },
    });
    const response = await placeOrder({ input: placeOrderBody, key: 'checkout-7f3a9c21' });
    expect(response.json()).toEqual({
      data: { placeOrder: { orderId, status: 'PENDING', order: null, replayed: false } },
    });
  });

  it('answers IDEMPOTENCY_KEY_MISSING without a key, writing nothing', async () => {
    const response = await placeOrder({ input: placeOrderBody });
    expect(response.json()).toMatchObject({
      data: null,
      errors: [{ path: ['placeOrder'], extensions: { code: 'IDEMPOTENCY_KEY_MISSING' } }],
    });
    expect(stubs.order.calls).toHaveLength(0);
  });

  it('answers FORBIDDEN for a key without orders:write, writing nothing', async () => {
    const response = await placeOrder({ input: placeOrderBody, key: 'checkout-7f3a9c21' }, readOnlyAuth);
    expect(response.json()).toMatchObject({ data: null, errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    expect(stubs.order.calls).toHaveLength(0);
  });

  it.each([
    [409, 'OUT_OF_STOCK', { productId: 'espresso-1kg', orderId }],
    [402, 'PAYMENT_DECLINED', { orderId }],
    [422, 'IDEMPOTENCY_KEY_REUSED', {}],
    [400, 'VALIDATION_FAILED', {}],
  ])("relays order's %i %s as the error's code, with what it names", async (status, code, named) => {
    stubs.order.handler = () => ({ status, body: problem(status, code, named) });
    const response = await placeOrder({ input: placeOrderBody, key: 'checkout-7f3a9c21' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ data: null, errors: [{ extensions: { code, ...named } }] });
  });

  it('answers DEPENDENCY_UNAVAILABLE with retryAfterSeconds when order cannot be reached', async () => {
    stubs.order.handler = () => ({ status: 503, body: problem(503, 'DEPENDENCY_UNAVAILABLE', { detail: 'down' }) });
    const response = await placeOrder({ input: placeOrderBody, key: 'checkout-7f3a9c21' });
    expect(response.json()).toMatchObject({
      data: null,
      errors: [{ extensions: { code: 'DEPENDENCY_UNAVAILABLE', retryAfterSeconds: 1 } }],
    });
  });
});
