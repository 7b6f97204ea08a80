import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentDatabase, type PaymentDatabase } from './support/paymentDatabase.ts';
import { SERVICE_TOKEN, testApp } from './support/testApp.ts';

let database: PaymentDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  database = await paymentDatabase();
  app = testApp(database);
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const auth = { 'x-service-token': SERVICE_TOKEN };
const newKey = () => `charge-${randomUUID()}`;
const chargeBody = (overrides: Record<string, unknown> = {}) => ({
  orderId: randomUUID(),
  amountCents: 7248,
  currency: 'EUR',
  token: 'tok_approve',
  ...overrides,
});

/** `key: null` sends no Idempotency-Key. */
function charge(body: unknown, key: string | null = newKey()) {
  const headers = key === null ? auth : { ...auth, 'idempotency-key': key };
  return app.inject({ method: 'POST', url: '/charges', headers, payload: body as object });
}

/** `key: null` sends no Idempotency-Key. */
function refund(chargeId: string, body: unknown, key: string | null = `refund-${randomUUID()}`) {
  const headers = key === null ? auth : { ...auth, 'idempotency-key': key };
  return app.inject({ method: 'POST', url: `/charges/${chargeId}/refunds`, headers, payload: body as object });
}

async function rowCounts(): Promise<{ charges: number; keys: number; refunds: number }> {
  const { rows } = await database.pool.query<{ charges: number; keys: number; refunds: number }>(
    `SELECT (SELECT count(*) FROM charges)::int AS charges, (SELECT count(*) FROM idempotency_keys)::int AS keys,
            (SELECT count(*) FROM refunds)::int AS refunds`,
  );
  return rows[0]!;
}

describe('POST /charges', () => {
  it('answers 201 with the charge, then replays it with Idempotent-Replayed: true', async () => {
    const key = newKey();
    const body = chargeBody();
    const first = await charge(body, key);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const created = first.json();
    expect(created).toMatchObject({ orderId: body.orderId, amountCents: 7248, currency: 'EUR', status: 'SUCCEEDED' });
    expect(created.id).toMatch(/^ch_[A-Za-z0-9]{8,64}$/);
    const replay = await charge({ ...body }, key);
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(created);
    const listed = await app.inject({ method: 'GET', url: `/charges?orderId=${body.orderId}`, headers: auth });
    expect(listed.json()).toEqual({ items: [created] });
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another body', async () => {
    const key = newKey();
    const body = chargeBody();
    await charge(body, key);
    const before = await rowCounts();
    const response = await charge({ ...body, amountCents: 1 }, key);
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await rowCounts()).toEqual(before);
  });

  it('answers 402 PAYMENT_DECLINED as problem+json and replays the decline', async () => {
    const key = newKey();
    const body = chargeBody({ token: 'tok_decline' });
    const first = await charge(body, key);
    expect(first.statusCode).toBe(402);
    expect(first.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(first.json()).toMatchObject({ type: '/problems/payment-declined', code: 'PAYMENT_DECLINED', status: 402 });
    const replay = await charge(body, key);
    expect(replay.statusCode).toBe(402);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    const listed = await app.inject({ method: 'GET', url: `/charges?orderId=${body.orderId}`, headers: auth });
    expect(listed.json()).toEqual({ items: [] });
  });

  it('answers 409 IDEMPOTENCY_CONFLICT with Retry-After while the first request is in flight', async () => {
    const key = newKey();
    const body = chargeBody({ token: 'tok_slow' });
    const first = charge(body, key);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const duplicate = await charge(body, key);
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.headers['retry-after']).toBe('1');
    expect(duplicate.json()).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT', retryAfterSeconds: 1 });
    expect((await first).statusCode).toBe(201);
  });

  it('answers 400 IDEMPOTENCY_KEY_MISSING without a key, VALIDATION_FAILED naming it when malformed, and writes nothing', async () => {
    const before = await rowCounts();
    const missing = await charge(chargeBody(), null);
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_MISSING' });
    for (const key of ['short', 'has spaces in it', 'x'.repeat(129)]) {
      const response = await charge(chargeBody(), key);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [expect.objectContaining({ in: 'header', path: '/Idempotency-Key' })],
      });
    }
    expect(await rowCounts()).toEqual(before);
  });

  const badBodies: Array<[string, unknown]> = [
    ['a zero amount', chargeBody({ amountCents: 0 })],
    ['a negative amount', chargeBody({ amountCents: -100 })],
    ['a fractional amount', chargeBody({ amountCents: 10.5 })],
    ['an amount given as a string', chargeBody({ amountCents: '7248' })],
    ['a lower-case currency', chargeBody({ currency: 'eur' })],
    ['an order id that is not a UUID', chargeBody({ orderId: 'order-1' })],
    ['an empty token', chargeBody({ token: '' })],
    ['an unknown field', chargeBody({ cardNumber: '4242424242424242' })],
    ['a missing token', { orderId: randomUUID(), amountCents: 100, currency: 'EUR' }],
  ];
  for (const [what, body] of badBodies) {
    it(`answers 400 VALIDATION_FAILED for ${what} and writes nothing`, async () => {
      const before = await rowCounts();
      const response = await charge(body);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: expect.any(Array) });
      expect(await rowCounts()).toEqual(before);
    });
  }

  it('answers 400 MALFORMED_JSON for a body that is not JSON and writes nothing', async () => {
    const before = await rowCounts();
    const response = await app.inject({
      method: 'POST',
      url: '/charges',
      headers: { ...auth, 'idempotency-key': newKey(), 'content-type': 'application/json' },
      payload: '{"orderId": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'MALFORMED_JSON' });
    expect(await rowCounts()).toEqual(before);
  });

  it('answers 401 without the service token and charges nothing', async () => {
    const before = await rowCounts();
    const response = await app.inject({
      method: 'POST',
      url: '/charges',
      headers: { 'idempotency-key': newKey() },
      payload: chargeBody(),
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await rowCounts()).toEqual(before);
  });
});

describe('GET /charges', () => {
  it('answers 400 without an orderId or with one that is not a UUID', async () => {
    for (const url of ['/charges', '/charges?orderId=nope']) {
      const response = await app.inject({ method: 'GET', url, headers: auth });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });
});

describe('POST /charges/{chargeId}/refunds', () => {
  it('refunds the remaining amount, replays for the same key, and refuses a second full refund', async () => {
    const created = (await charge(chargeBody({ amountCents: 500 }))).json<{ id: string }>();
    const key = `refund-${randomUUID()}`;
    const first = await refund(created.id, { reason: 'order cancelled' }, key);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ chargeId: created.id, amountCents: 500, reason: 'order cancelled' });
    const replay = await refund(created.id, { reason: 'order cancelled' }, key);
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    const second = await refund(created.id, {});
    expect(second.statusCode).toBe(422);
    expect(second.json()).toMatchObject({ code: 'REFUND_EXCEEDS_CHARGE', detail: '0 cents remain to refund.' });
  });

  it('answers 404 CHARGE_NOT_FOUND for an unknown charge', async () => {
    const response = await refund('ch_unknownCharge42', {});
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'CHARGE_NOT_FOUND' });
  });

  it('answers 400 for a malformed charge id, amount or missing key, and writes nothing', async () => {
    const created = (await charge(chargeBody({ amountCents: 500 }))).json<{ id: string }>();
    const before = await rowCounts();
    const cases = [
      { id: 'not-a-charge', body: {}, code: 'VALIDATION_FAILED' },
      { id: created.id, body: { amountCents: 0 }, code: 'VALIDATION_FAILED' },
      { id: created.id, body: { amountCents: -1 }, code: 'VALIDATION_FAILED' },
      { id: created.id, body: { amountCents: 2.5 }, code: 'VALIDATION_FAILED' },
      { id: created.id, body: { amount: 100 }, code: 'VALIDATION_FAILED' },
      { id: created.id, body: { reason: 'x'.repeat(201) }, code: 'VALIDATION_FAILED' },
      // PostgreSQL cannot store U+0000: refused by name, not a 500 from the database.
      { id: created.id, body: { reason: '\u0000' }, code: 'VALIDATION_FAILED' },
    ];
    for (const { id, body, code } of cases) {
      const response = await refund(id, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json()).toMatchObject({ code });
    }
    const missingKey = await refund(created.id, {}, null);
    expect(missingKey.statusCode).toBe(400);
    expect(missingKey.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_MISSING' });
    expect(await rowCounts()).toEqual(before);
  });
});
