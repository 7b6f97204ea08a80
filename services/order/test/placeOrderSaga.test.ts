import { validateEvent } from '@harness/contracts';
import { waitUntil } from '@harness/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectOrderEvents } from './support/eventCollector.ts';
import { getOrderVia, newKey, placeOrderVia, systemProbes } from './support/probes.ts';
import {
  startOrderInProcess,
  startTestSystem,
  type InProcessOrderService,
  type OrderTestSystem,
} from './support/testSystem.ts';

let system: OrderTestSystem;
let order: InProcessOrderService;
let events: Awaited<ReturnType<typeof collectOrderEvents>>;
let placeOrder: ReturnType<typeof placeOrderVia>;
let getOrder: ReturnType<typeof getOrderVia>;
let probes: ReturnType<typeof systemProbes>;

beforeAll(async () => {
  system = await startTestSystem({ scarceStock: 3 });
  order = await startOrderInProcess(system, { OUTBOX_POLL_INTERVAL_MS: '50' });
  events = await collectOrderEvents(system.amqpUrl);
  placeOrder = placeOrderVia(order.app, system.serviceToken);
  getOrder = getOrderVia(order.app, system.serviceToken);
  probes = systemProbes(system);
});

afterAll(async () => {
  await events?.close();
  await order?.stop();
  await system?.stop();
});

const eventsOf = async (orderId: string, count = 1) => {
  await waitUntil(`events of order ${orderId}`, async () => events.forOrder(orderId).length >= count, {
    timeoutMs: 10_000,
  });
  return events.forOrder(orderId);
};

const orderRowCount = async (idempotencyKey: string): Promise<number> => {
  const { rows } = await order.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM orders WHERE idempotency_key = $1',
    [idempotencyKey],
  );
  return rows[0]?.n ?? 0;
};

describe('the order saga', () => {
  it('confirms an order: stock reserved, one charge of the priced total, OrderConfirmed published', async () => {
    const espressoBefore = await probes.available('espresso-1kg');
    const response = await placeOrder(
      {
        items: [
          { productId: 'espresso-1kg', quantity: 2 },
          { productId: 'moka-pot-6', quantity: 1 },
        ],
        paymentToken: 'tok_approve',
      },
      newKey(),
    );

    expect(response.status).toBe(201);
    const orderId = String(response.body.id);
    expect(response.headers.location).toBe(`/orders/${orderId}`);
    expect(response.body).toMatchObject({
      status: 'CONFIRMED',
      currency: 'EUR',
      items: [
        { productId: 'espresso-1kg', quantity: 2, unitPriceCents: 1899 },
        { productId: 'moka-pot-6', quantity: 1, unitPriceCents: 3450 },
      ],
      totalCents: 2 * 1899 + 3450,
    });
    expect(response.body).not.toHaveProperty('paymentToken');

    const charges = await probes.charges(orderId);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ amountCents: 2 * 1899 + 3450, currency: 'EUR', status: 'SUCCEEDED' });
    expect((await probes.reservation(orderId))?.status).toBe('RESERVED');
    expect(await probes.available('espresso-1kg')).toBe(espressoBefore - 2);

    const [event] = await eventsOf(orderId);
    expect(event?.routingKey).toBe('order.confirmed');
    const validation = validateEvent(event?.headers, event?.payload);
    expect(validation.ok).toBe(true);
    expect(event?.payload).toMatchObject({ orderId, totalCents: 2 * 1899 + 3450, currency: 'EUR' });

    const { rows } = await order.pool.query<{ payment_token: string | null; charge_id: string | null }>(
      'SELECT payment_token, charge_id FROM orders WHERE id = $1',
      [orderId],
    );
    expect(rows[0]).toEqual({ payment_token: null, charge_id: charges[0]?.id });
    // The relay marks the row after the broker confirms the publish; the consumer may see the
    // event a moment before that update commits, so wait for it rather than read once.
    const outboxRows = async () =>
      (
        await order.pool.query<{ published: boolean }>(
          `SELECT published_at IS NOT NULL AS published FROM outbox WHERE payload->>'orderId' = $1`,
          [orderId],
        )
      ).rows;
    await waitUntil(
      `outbox row of ${orderId} marked published`,
      async () => (await outboxRows())[0]?.published === true,
      {
        timeoutMs: 5_000,
      },
    ).catch(() => undefined);
    expect(await outboxRows()).toEqual([{ published: true }]);
  });

  it('answers 409 OUT_OF_STOCK and reserves nothing when a product lacks stock', async () => {
    const before = await probes.available('limited-grinder');
    const response = await placeOrder(
      {
        items: [
          { productId: 'espresso-1kg', quantity: 1 },
          { productId: 'limited-grinder', quantity: before + 1 },
        ],
        paymentToken: 'tok_approve',
      },
      newKey(),
    );

    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toMatchObject({ code: 'OUT_OF_STOCK', productId: 'limited-grinder' });
    const orderId = String(response.body.orderId);
    expect((await getOrder(orderId)).body).toMatchObject({ status: 'CANCELLED', cancellationReason: 'OUT_OF_STOCK' });
    // Nothing is held: no reservation, or (once inventory consumed OrderCancelled) its RELEASED
    // tombstone, which only stops a late reservation from taking stock.
    expect([undefined, 'RELEASED']).toContain((await probes.reservation(orderId))?.status);
    expect(await probes.available('limited-grinder')).toBe(before);
    expect(await probes.charges(orderId)).toEqual([]);
    const [event] = await eventsOf(orderId);
    expect(event).toMatchObject({ routingKey: 'order.cancelled', payload: { reason: 'OUT_OF_STOCK' } });
  });

  it('answers 402 and releases the reservation when the payment is declined', async () => {
    const before = await probes.available('filter-500g');
    const response = await placeOrder(
      { items: [{ productId: 'filter-500g', quantity: 3 }], paymentToken: 'tok_decline' },
      newKey(),
      { 'x-owner-id': 'shop-7' },
    );

    expect(response.status).toBe(402);
    expect(response.body).toMatchObject({ code: 'PAYMENT_DECLINED' });
    const orderId = String(response.body.orderId);
    expect((await probes.reservation(orderId))?.status).toBe('RELEASED');
    expect(await probes.available('filter-500g')).toBe(before);
    expect(await probes.charges(orderId)).toEqual([]);
    expect((await getOrder(orderId)).body).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'PAYMENT_DECLINED',
    });
    const [event] = await eventsOf(orderId);
    // The event carries the order's state, so a read model can be built from events alone.
    const { rows } = await order.pool.query<{ created_at: Date; owner_id: string }>(
      'SELECT created_at, owner_id FROM orders WHERE id = $1',
      [orderId],
    );
    expect(rows[0]?.owner_id).toBe('shop-7');
    expect(event).toMatchObject({
      routingKey: 'order.cancelled',
      payload: {
        reason: 'PAYMENT_DECLINED',
        items: [{ productId: 'filter-500g', quantity: 3 }],
        ownerId: 'shop-7',
        createdAt: rows[0]?.created_at.toISOString(),
        totalCents: 3 * 899,
        currency: 'EUR',
        pricedItems: [{ productId: 'filter-500g', quantity: 3, unitPriceCents: 899 }],
      },
    });
    expect(validateEvent(event?.headers, event?.payload).ok).toBe(true);
  });
});

describe('idempotency of POST /orders', () => {
  const body = { items: [{ productId: 'ceramic-cup-2', quantity: 1 }], paymentToken: 'tok_approve' };

  it('replays the first answer when the same key and body come again: one order, one charge', async () => {
    const key = newKey();
    const first = await placeOrder(body, key);
    const second = await placeOrder(body, key);

    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await orderRowCount(key)).toBe(1);
    expect(await probes.charges(String(first.body.id))).toHaveLength(1);
  });

  it('keeps a key to its owner: another owner sending it gets 422, the owner a replay', async () => {
    const key = newKey();
    const first = await placeOrder(body, key, { 'x-owner-id': 'alice' });
    expect(first.status).toBe(201);
    const other = await placeOrder(body, key, { 'x-owner-id': 'bob' });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect((await placeOrder(body, key, { 'x-owner-id': 'alice' })).headers['idempotent-replayed']).toBe('true');
    expect(await orderRowCount(key)).toBe(1);
    // An owner that is not an API key id is refused before anything is stored.
    const bad = await placeOrder(body, newKey(), { 'x-owner-id': 'not an id!' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('replays a cancellation with the same status and code', async () => {
    const key = newKey();
    const declined = { items: [{ productId: 'ceramic-cup-2', quantity: 1 }], paymentToken: 'tok_decline' };
    const first = await placeOrder(declined, key);
    const second = await placeOrder(declined, key);

    expect([first.status, second.status]).toEqual([402, 402]);
    expect(second.body).toMatchObject({ code: 'PAYMENT_DECLINED', orderId: first.body.orderId });
    expect(await orderRowCount(key)).toBe(1);
  });

  it('refuses the same key with a different body with 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const key = newKey();
    const first = await placeOrder(body, key);
    const reused = await placeOrder({ ...body, items: [{ productId: 'ceramic-cup-2', quantity: 2 }] }, key);

    expect(first.status).toBe(201);
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await orderRowCount(key)).toBe(1);
    expect(await probes.charges(String(first.body.id))).toHaveLength(1);
  });

  it('runs one saga for 10 concurrent duplicates: one order, one charge, the others 409 or the settled result', async () => {
    const key = newKey();
    const answers = await Promise.all(Array.from({ length: 10 }, () => placeOrder(body, key)));

    expect(await orderRowCount(key)).toBe(1);
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    for (const conflict of answers.filter((answer) => answer.status === 409)) {
      expect(conflict.body).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
      expect(conflict.headers['retry-after']).toBeDefined();
    }
    const orderId = String(answers.find((answer) => answer.status === 201)?.body.id);
    expect(await probes.charges(orderId)).toHaveLength(1);
    expect((await placeOrder(body, key)).status).toBe(201);
  });
});

describe('saga metrics', () => {
  it('counts saga outcomes by result and times the sagas', async () => {
    const response = await order.app.inject({ method: 'GET', url: '/metrics' });
    const text = response.body;

    expect(text).toMatch(/order_saga_outcomes_total\{[^}]*result="CONFIRMED"[^}]*\} [1-9]/);
    expect(text).toMatch(/order_saga_outcomes_total\{[^}]*result="PAYMENT_DECLINED"[^}]*\} [1-9]/);
    expect(text).toMatch(/order_saga_outcomes_total\{[^}]*result="OUT_OF_STOCK"[^}]*\} [1-9]/);
    expect(text).toMatch(/order_saga_duration_seconds_count\{[^}]*result="CONFIRMED"[^}]*\} [1-9]/);
  });
});

describe('reading orders', () => {
  it('lists orders newest first, filtered by status and limited', async () => {
    const confirmed = await placeOrder(
      { items: [{ productId: 'espresso-1kg', quantity: 1 }], paymentToken: 'tok_approve' },
      newKey(),
    );
    const declined = await placeOrder(
      { items: [{ productId: 'espresso-1kg', quantity: 1 }], paymentToken: 'tok_decline' },
      newKey(),
    );
    const list = async (query: string) =>
      (
        await order.app.inject({
          method: 'GET',
          url: `/orders${query}`,
          headers: { 'x-service-token': system.serviceToken },
        })
      ).json() as { items: Array<{ id: string; status: string }> };

    const newest = await list('?limit=2');
    expect(newest.items.map((item) => item.id)).toEqual([declined.body.orderId, confirmed.body.id]);
    const cancelled = await list('?status=CANCELLED');
    expect(cancelled.items.length).toBeGreaterThan(0);
    expect(cancelled.items.every((item) => item.status === 'CANCELLED')).toBe(true);
    expect(cancelled.items[0]?.id).toBe(declined.body.orderId);
  });

  it('answers GET /orders/{id} with the order, never the payment token', async () => {
    const placed = await placeOrder(
      { items: [{ productId: 'espresso-1kg', quantity: 1 }], paymentToken: 'tok_approve' },
      newKey(),
    );
    const { status, body } = await getOrder(String(placed.body.id));
    expect(status).toBe(200);
    expect(body).toEqual(placed.body);
    expect(JSON.stringify(body)).not.toContain('tok_approve');
  });
});
