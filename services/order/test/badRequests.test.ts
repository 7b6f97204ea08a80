import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newKey, placeOrderVia } from './support/probes.ts';
import {
  startOrderInProcess,
  startTestSystem,
  type InProcessOrderService,
  type OrderTestSystem,
} from './support/testSystem.ts';

let system: OrderTestSystem;
let order: InProcessOrderService;
let placeOrder: ReturnType<typeof placeOrderVia>;

beforeAll(async () => {
  system = await startTestSystem();
  order = await startOrderInProcess(system);
  placeOrder = placeOrderVia(order.app, system.serviceToken);
});

afterAll(async () => {
  await order?.stop();
  await system?.stop();
});

const valid = { items: [{ productId: 'espresso-1kg', quantity: 1 }], paymentToken: 'tok_approve' };
const withItem = (item: Record<string, unknown>) => ({ ...valid, items: [item] });

describe('POST /orders refuses bad requests with a 4xx problem and writes nothing', () => {
  const cases: Array<[string, unknown, string | undefined, number, string, string?]> = [
    ['malformed JSON', '{"items": [', newKey(), 400, 'MALFORMED_JSON'],
    ['an unknown field', { ...valid, coupon: 'FREE' }, newKey(), 400, 'VALIDATION_FAILED', '/coupon'],
    [
      'an unknown field in an item',
      withItem({ productId: 'espresso-1kg', quantity: 1, price: 1 }),
      newKey(),
      400,
      'VALIDATION_FAILED',
      '/items/0/price',
    ],
    [
      'quantity 0',
      withItem({ productId: 'espresso-1kg', quantity: 0 }),
      newKey(),
      400,
      'VALIDATION_FAILED',
      '/items/0/quantity',
    ],
    [
      'quantity -1',
      withItem({ productId: 'espresso-1kg', quantity: -1 }),
      newKey(),
      400,
      'VALIDATION_FAILED',
      '/items/0/quantity',
    ],
    [
      'quantity 1.5',
      withItem({ productId: 'espresso-1kg', quantity: 1.5 }),
      newKey(),
      400,
      'VALIDATION_FAILED',
      '/items/0/quantity',
    ],
    [
      'quantity as a string',
      withItem({ productId: 'espresso-1kg', quantity: '1' }),
      newKey(),
      400,
      'VALIDATION_FAILED',
      '/items/0/quantity',
    ],
    [
      'quantity over 100',
      withItem({ productId: 'espresso-1kg', quantity: 101 }),
      newKey(),
      400,
      'VALIDATION_FAILED',
      '/items/0/quantity',
    ],
    ['no items', { ...valid, items: [] }, newKey(), 400, 'VALIDATION_FAILED', '/items'],
    ['no payment token', { items: valid.items }, newKey(), 400, 'VALIDATION_FAILED', '/paymentToken'],
    [
      'an unknown product',
      withItem({ productId: 'no-such-product', quantity: 1 }),
      newKey(),
      400,
      'VALIDATION_FAILED',
      '/items/0/productId',
    ],
    ['a missing Idempotency-Key', valid, undefined, 400, 'IDEMPOTENCY_KEY_MISSING'],
    ['a malformed Idempotency-Key', valid, 'short', 400, 'VALIDATION_FAILED', '/Idempotency-Key'],
    ['a too long Idempotency-Key', valid, 'k'.repeat(300), 400, 'VALIDATION_FAILED', '/Idempotency-Key'],
    // PostgreSQL cannot store U+0000: refused by name, not a 500 from the database.
    [
      'a payment token holding U+0000',
      { ...valid, paymentToken: 'tok_\u0000x' },
      newKey(),
      400,
      'VALIDATION_FAILED',
      '/paymentToken',
    ],
  ];

  it.each(cases)('%s', async (_name, body, key, status, code, path) => {
    const response = await placeOrder(body, key);

    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status, code });
    if (path !== undefined) {
      expect((response.body.errors as Array<{ path: string }>).map((error) => error.path)).toContain(path);
    }
  });

  it('answers 415 to a body that is not JSON', async () => {
    const response = await placeOrder('items=1', newKey(), { 'content-type': 'text/plain' });
    expect(response.status).toBe(415);
    expect(response.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('answers 401 without the service token', async () => {
    const response = await order.app.inject({
      method: 'POST',
      url: '/orders',
      headers: { 'content-type': 'application/json', 'idempotency-key': newKey() },
      payload: JSON.stringify(valid),
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('left no order and no outbox row behind', async () => {
    expect((await order.pool.query('SELECT id FROM orders')).rows).toEqual([]);
    expect((await order.pool.query('SELECT id FROM outbox')).rows).toEqual([]);
  });
});

describe('GET /orders refuses bad parameters', () => {
  const get = (url: string) =>
    order.app.inject({ method: 'GET', url, headers: { 'x-service-token': system.serviceToken } });

  it.each([
    ['/orders/not-a-uuid', 400, 'VALIDATION_FAILED'],
    ['/orders/3f6c1a52-8d1e-4b8a-9c7e-2a1f5e9d4b10', 404, 'ORDER_NOT_FOUND'],
    ['/orders?status=SHIPPED', 400, 'VALIDATION_FAILED'],
    ['/orders?limit=0', 400, 'VALIDATION_FAILED'],
    ['/orders?limit=101', 400, 'VALIDATION_FAILED'],
  ])('%s → %i %s', async (url, status, code) => {
    const response = await get(url);
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ code });
  });
});
