import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCatalog } from './support/catalogFixture.ts';
import { inventoryDatabase, type InventoryDatabase } from './support/inventoryDatabase.ts';
import { stockLevels } from './support/stockLevels.ts';
import { SERVICE_TOKEN, testApp } from './support/testApp.ts';

let database: InventoryDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  database = await inventoryDatabase(testCatalog({ espresso: 42, moka: 7, grinder: 1 }));
  app = testApp(database);
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const auth = { 'x-service-token': SERVICE_TOKEN };

function reserve(orderId: string, body: unknown) {
  return app.inject({ method: 'PUT', url: `/reservations/${orderId}`, headers: auth, payload: body as object });
}

async function reservationCount(): Promise<number> {
  const { rows } = await database.pool.query<{ count: string }>('SELECT count(*) FROM reservations');
  return Number(rows[0]?.count);
}

describe('catalog', () => {
  it('lists every product with its availability', async () => {
    const response = await app.inject({ method: 'GET', url: '/products', headers: auth });
    expect(response.statusCode).toBe(200);
    const { items } = response.json<{ items: Array<{ id: string; available: number }> }>();
    expect(items.map((p) => p.id)).toEqual(['espresso-1kg', 'limited-grinder', 'moka-pot-6']);
    expect(items.find((p) => p.id === 'moka-pot-6')).toMatchObject({
      sku: 'MOK-POT-0006',
      priceCents: 3450,
      currency: 'EUR',
      available: 7,
    });
  });

  it('shows availability going down once stock is reserved', async () => {
    await reserve(randomUUID(), { items: [{ productId: 'espresso-1kg', quantity: 2 }] });
    const response = await app.inject({ method: 'GET', url: '/products/espresso-1kg', headers: auth });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: 'espresso-1kg', available: 40 });
  });

  it('answers 404 PRODUCT_NOT_FOUND naming an unknown product', async () => {
    const response = await app.inject({ method: 'GET', url: '/products/no-such-product', headers: auth });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'PRODUCT_NOT_FOUND', productId: 'no-such-product' });
  });

  it('answers 400 for a product id that breaks the id pattern', async () => {
    const response = await app.inject({ method: 'GET', url: '/products/NOT_A_SLUG', headers: auth });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('service token', () => {
  it('refuses a request without or with a wrong X-Service-Token', async () => {
    for (const headers of [{}, { 'x-service-token': 'wrong' }]) {
      const response = await app.inject({ method: 'GET', url: '/products', headers });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });

  it('refuses a reservation without the token and reserves nothing', async () => {
    const before = await reservationCount();
    const response = await app.inject({
      method: 'PUT',
      url: `/reservations/${randomUUID()}`,
      payload: { items: [{ productId: 'espresso-1kg', quantity: 1 }] },
    });
    expect(response.statusCode).toBe(401);
    expect(await reservationCount()).toBe(before);
  });

  it('serves the health probes without a token', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', checks: { postgres: 'ok' } });
  });
});

describe('PUT /reservations/{orderId}', () => {
  it('reserves the items and answers the reservation', async () => {
    const orderId = randomUUID();
    const items = [
      { productId: 'espresso-1kg', quantity: 2 },
      { productId: 'moka-pot-6', quantity: 1 },
    ];
    const response = await reserve(orderId, { items });
    expect(response.statusCode).toBe(200);
    const reservation = response.json();
    expect(reservation).toMatchObject({ orderId, status: 'RESERVED', items });
    expect(Date.parse(reservation.createdAt)).not.toBeNaN();
    const again = await reserve(orderId, { items: [...items].reverse() });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(reservation);
  });

  it('answers 422 RESERVATION_MISMATCH for the same order with other items', async () => {
    const orderId = randomUUID();
    await reserve(orderId, { items: [{ productId: 'espresso-1kg', quantity: 1 }] });
    const response = await reserve(orderId, { items: [{ productId: 'espresso-1kg', quantity: 2 }] });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ code: 'RESERVATION_MISMATCH' });
  });

  it('answers 409 OUT_OF_STOCK naming the product and reserves nothing', async () => {
    const before = await stockLevels(database.pool);
    const response = await reserve(randomUUID(), {
      items: [
        { productId: 'espresso-1kg', quantity: 1 },
        { productId: 'limited-grinder', quantity: 2 },
      ],
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      type: '/problems/out-of-stock',
      code: 'OUT_OF_STOCK',
      productId: 'limited-grinder',
      detail: 'Requested 2, available 1.',
    });
    expect(await stockLevels(database.pool)).toEqual(before);
  });

  it('answers 404 UNKNOWN_PRODUCT naming the product and reserves nothing', async () => {
    const before = await stockLevels(database.pool);
    const response = await reserve(randomUUID(), { items: [{ productId: 'no-such-product', quantity: 1 }] });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'UNKNOWN_PRODUCT', productId: 'no-such-product' });
    expect(await stockLevels(database.pool)).toEqual(before);
  });

  const badBodies: Array<[string, unknown]> = [
    ['a zero quantity', { items: [{ productId: 'espresso-1kg', quantity: 0 }] }],
    ['a negative quantity', { items: [{ productId: 'espresso-1kg', quantity: -3 }] }],
    ['a fractional quantity', { items: [{ productId: 'espresso-1kg', quantity: 1.5 }] }],
    ['a quantity given as a string', { items: [{ productId: 'espresso-1kg', quantity: '2' }] }],
    ['a quantity above 100', { items: [{ productId: 'espresso-1kg', quantity: 101 }] }],
    ['an unknown field on an item', { items: [{ productId: 'espresso-1kg', quantity: 1, price: 0 }] }],
    ['an unknown top-level field', { items: [{ productId: 'espresso-1kg', quantity: 1 }], note: 'x' }],
    ['no items', { items: [] }],
    ['missing items', {}],
    ['a malformed product id', { items: [{ productId: 'Espresso 1kg', quantity: 1 }] }],
    ['more than 20 lines', { items: Array.from({ length: 21 }, () => ({ productId: 'espresso-1kg', quantity: 1 })) }],
    ['an array body', [{ productId: 'espresso-1kg', quantity: 1 }]],
    ['a product id holding U+0000', { items: [{ productId: 'espresso\u0000', quantity: 1 }] }],
  ];
  for (const [what, body] of badBodies) {
    it(`answers 400 VALIDATION_FAILED for ${what} and writes nothing`, async () => {
      const before = await stockLevels(database.pool);
      const count = await reservationCount();
      const response = await reserve(randomUUID(), body);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: expect.any(Array) });
      expect(await stockLevels(database.pool)).toEqual(before);
      expect(await reservationCount()).toBe(count);
    });
  }

  it('answers 400 MALFORMED_JSON for a body that is not JSON and writes nothing', async () => {
    const count = await reservationCount();
    const response = await app.inject({
      method: 'PUT',
      url: `/reservations/${randomUUID()}`,
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"items": [',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'MALFORMED_JSON' });
    expect(await reservationCount()).toBe(count);
  });

  it('answers 400 for an order id that is not a UUID', async () => {
    const response = await reserve('order-1', { items: [{ productId: 'espresso-1kg', quantity: 1 }] });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('reservation lookup and release', () => {
  it('releases the stock once and answers the released reservation on every release', async () => {
    const orderId = randomUUID();
    const before = await stockLevels(database.pool);
    await reserve(orderId, { items: [{ productId: 'moka-pot-6', quantity: 3 }] });
    const release = () => app.inject({ method: 'POST', url: `/reservations/${orderId}/release`, headers: auth });
    const first = await release();
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      orderId,
      status: 'RELEASED',
      items: [{ productId: 'moka-pot-6', quantity: 3 }],
    });
    const second = await release();
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual(first.json());
    expect(await stockLevels(database.pool)).toEqual(before);
    const lookup = await app.inject({ method: 'GET', url: `/reservations/${orderId}`, headers: auth });
    expect(lookup.json()).toEqual(first.json());
  });

  it('answers 404 RESERVATION_NOT_FOUND for an unknown order and creates nothing', async () => {
    const orderId = randomUUID();
    const count = await reservationCount();
    const release = await app.inject({ method: 'POST', url: `/reservations/${orderId}/release`, headers: auth });
    expect(release.statusCode).toBe(404);
    expect(release.json()).toMatchObject({ code: 'RESERVATION_NOT_FOUND' });
    const lookup = await app.inject({ method: 'GET', url: `/reservations/${orderId}`, headers: auth });
    expect(lookup.statusCode).toBe(404);
    expect(await reservationCount()).toBe(count);
  });
});
