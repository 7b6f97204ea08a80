import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { placeOrderBody } from './support/fixtures.ts';
import { fullAuth, gatewayUnderTest } from './support/gatewayUnderTest.ts';
import { dependencyStubs } from './support/stubs.ts';

const { stubs, ready } = dependencyStubs();
let app: FastifyInstance;

beforeAll(async () => {
  await ready;
  app = gatewayUnderTest({
    orderUrl: stubs.order.url,
    inventoryUrl: stubs.inventory.url,
    notificationUrl: stubs.notification.url,
    bodyLimitBytes: 16_384,
  }).app;
});
afterAll(() => app.close());

function post(payload: string | object, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/orders',
    headers: { ...fullAuth, 'content-type': 'application/json', 'idempotency-key': 'checkout-0001', ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

const withQuantity = (quantity: unknown) => ({ ...placeOrderBody, items: [{ productId: 'espresso-1kg', quantity }] });

describe('POST /api/v1/orders refuses bad requests before reaching the order service', () => {
  afterEach(() => {
    expect(stubs.order.calls).toHaveLength(0);
  });

  it('answers 413 for a body over the limit', async () => {
    const response = await post({ ...placeOrderBody, paymentToken: 'x'.repeat(20_000) });
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json()).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers 400 for malformed JSON', async () => {
    const response = await post('{"items": [');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
  });

  it('answers 400 naming an unknown field', async () => {
    const response = await post({ ...placeOrderBody, discount: 100 });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(response.json().errors).toContainEqual(expect.objectContaining({ path: '/discount' }));
  });

  it('answers 400 naming an unknown field inside an item', async () => {
    const response = await post({ ...placeOrderBody, items: [{ productId: 'espresso-1kg', quantity: 1, price: 1 }] });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toContainEqual(expect.objectContaining({ path: '/items/0/price' }));
  });

  it.each([
    ['zero', 0],
    ['negative', -1],
    ['fractional', 1.5],
    ['above the maximum', 101],
    ['a string', '2'],
  ])('answers 400 naming /items/0/quantity when it is %s', async (_label, quantity) => {
    const response = await post(withQuantity(quantity));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(response.json().errors).toContainEqual(expect.objectContaining({ path: '/items/0/quantity' }));
  });

  it('answers 400 for an empty item list and a missing payment token', async () => {
    const response = await post({ items: [] });
    expect(response.statusCode).toBe(400);
    const paths = (response.json().errors as { path: string }[]).map((error) => error.path);
    expect(paths).toEqual(expect.arrayContaining(['/items', '/paymentToken']));
  });

  it('answers 400 IDEMPOTENCY_KEY_MISSING without an Idempotency-Key', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: fullAuth,
      payload: placeOrderBody,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_MISSING' });
  });

  it('answers 400 VALIDATION_FAILED naming the header for a malformed or too long Idempotency-Key', async () => {
    for (const key of ['bad key!', 'k'.repeat(300)]) {
      const response = await post(placeOrderBody, { 'idempotency-key': key });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [expect.objectContaining({ in: 'header', path: '/Idempotency-Key' })],
      });
    }
  });

  it('answers 400 naming the field, never a 5xx, for a payment token holding U+0000', async () => {
    const response = await post({ ...placeOrderBody, paymentToken: 'tok_\u0000x' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ in: 'body', path: '/paymentToken', message: 'must not contain U+0000 (NUL)' }],
    });
  });

  it('answers 415 for a body that is not JSON', async () => {
    const response = await post('items=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(response.statusCode).toBe(415);
  });
});

describe('path parameters', () => {
  it('answers 400 for an order id that is not a UUID without calling order', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/orders/not-a-uuid', headers: fullAuth });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toContainEqual(expect.objectContaining({ path: '/orderId' }));
    expect(stubs.order.calls).toHaveLength(0);
    expect(stubs.notification.calls).toHaveLength(0);
  });

  it('answers 400 for a product id outside the id pattern', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/products/UPPER_case', headers: fullAuth });
    expect(response.statusCode).toBe(400);
    expect(stubs.inventory.calls).toHaveLength(0);
  });
});
