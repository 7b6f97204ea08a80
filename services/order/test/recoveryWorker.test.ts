import { randomUUID } from 'node:crypto';
import { waitUntil } from '@harness/runtime';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectOrderEvents } from './support/eventCollector.ts';
import { getOrderVia, systemProbes } from './support/probes.ts';
import {
  startOrderInProcess,
  startTestSystem,
  type InProcessOrderService,
  type OrderTestSystem,
} from './support/testSystem.ts';

let system: OrderTestSystem;
let order: InProcessOrderService;
let probes: ReturnType<typeof systemProbes>;
let getOrder: ReturnType<typeof getOrderVia>;
let events: Awaited<ReturnType<typeof collectOrderEvents>>;

beforeAll(async () => {
  system = await startTestSystem();
  order = await startOrderInProcess(system, {
    SAGA_RECOVERY_INTERVAL_MS: '100',
    SAGA_RETRY_BASE_MS: '100',
    SAGA_RETRY_MAX_MS: '200',
    SAGA_MAX_ATTEMPTS: '3',
    SAGA_AUDIT_DELAY_MS: '100',
    PAYMENT_RETRY_ATTEMPTS: '1',
    PAYMENT_BREAKER_HALF_OPEN_MS: '200',
  });
  events = await collectOrderEvents(system.amqpUrl);
  probes = systemProbes(system);
  getOrder = getOrderVia(order.app, system.serviceToken);
});

afterEach(() => system.healLinks());

afterAll(async () => {
  await events?.close();
  await order?.stop();
  await system?.stop();
});

/** The line of every order the tests leave behind (the saga charges the stored total). */
const cup = { productId: 'ceramic-cup-2', quantity: 2, unitPriceCents: 1499 };

/** An order row as a runner that crashed at `step` leaves it (its lease already expired). */
async function sagaLeftBehind(step: string, options: { ageMs?: number; leaseMs?: number } = {}): Promise<string> {
  const id = randomUUID();
  await order.pool.query(
    `INSERT INTO orders (id, idempotency_key, request_hash, status, saga_step, items, total_cents, currency, payment_token,
       next_attempt_at, lease_token, lease_expires_at, created_at, updated_at)
     VALUES ($1, $2, 'hash', 'PENDING', $3, $4, $5, 'EUR', 'tok_approve', now(), $6,
       now() + $7 * interval '1 millisecond', now() - $8 * interval '1 millisecond', now())`,
    [
      id,
      `crashed-${id}`,
      step,
      JSON.stringify([cup]),
      cup.unitPriceCents * cup.quantity,
      randomUUID(),
      options.leaseMs ?? -1,
      options.ageMs ?? 0,
    ],
  );
  return id;
}

const inventoryCall = (method: string, path: string, body?: unknown) =>
  fetch(`${system.inventory.url}${path}`, {
    method,
    headers: { 'x-service-token': system.serviceToken, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const reserveDirectly = (orderId: string) =>
  inventoryCall('PUT', `/reservations/${orderId}`, { items: [{ productId: cup.productId, quantity: cup.quantity }] });

const chargeDirectly = (orderId: string) =>
  fetch(`${system.payment.url}/charges`, {
    method: 'POST',
    headers: {
      'x-service-token': system.serviceToken,
      'content-type': 'application/json',
      'idempotency-key': `order-${orderId}-charge`,
    },
    body: JSON.stringify({
      orderId,
      amountCents: cup.unitPriceCents * cup.quantity,
      currency: 'EUR',
      token: 'tok_approve',
    }),
  });

const settled = (orderId: string) =>
  waitUntil(`order ${orderId} settled`, async () => (await getOrder(orderId)).body.status !== 'PENDING', {
    timeoutMs: 15_000,
  });

describe('the recovery worker', () => {
  it('resumes a saga left at CREATED: reserves, charges once and confirms', async () => {
    const orderId = await sagaLeftBehind('CREATED');
    await settled(orderId);

    expect((await getOrder(orderId)).body.status).toBe('CONFIRMED');
    expect((await probes.reservation(orderId))?.status).toBe('RESERVED');
    expect(await probes.charges(orderId)).toHaveLength(1);
    await waitUntil('OrderConfirmed published', async () => events.forOrder(orderId).length === 1, {
      timeoutMs: 10_000,
    });
    expect(events.forOrder(orderId)[0]?.routingKey).toBe('order.confirmed');
  });

  it('resumes a saga left at CHARGING after the charge happened: replays it, charges nothing more', async () => {
    const orderId = await sagaLeftBehind('CHARGING');
    expect((await reserveDirectly(orderId)).status).toBe(200);
    const charge = (await (await chargeDirectly(orderId)).json()) as { id: string };
    await settled(orderId);

    expect((await getOrder(orderId)).body.status).toBe('CONFIRMED');
    const charges = await probes.charges(orderId);
    expect(charges.map((c) => c.id)).toEqual([charge.id]);
    const { rows } = await order.pool.query<{ charge_id: string }>('SELECT charge_id FROM orders WHERE id = $1', [
      orderId,
    ]);
    expect(rows[0]?.charge_id).toBe(charge.id);
  });

  it('compensates a saga past its deadline: cancelled with TIMEOUT, stock released', async () => {
    const before = await probes.available(cup.productId);
    const orderId = await sagaLeftBehind('CHARGING', { ageMs: 60 * 60_000 });
    expect((await reserveDirectly(orderId)).status).toBe(200);
    await settled(orderId);

    expect((await getOrder(orderId)).body).toMatchObject({ status: 'CANCELLED', cancellationReason: 'TIMEOUT' });
    expect((await probes.reservation(orderId))?.status).toBe('RELEASED');
    expect(await probes.available(cup.productId)).toBe(before);
    expect(await probes.charges(orderId)).toEqual([]);
    const outbox = await order.pool.query<{ message_type: string }>(
      `SELECT message_type FROM outbox WHERE payload->>'orderId' = $1`,
      [orderId],
    );
    expect(outbox.rows).toEqual([{ message_type: 'OrderCancelled' }]);
  });

  it('gives up after its attempts while payment stays unreachable, and releases the stock', async () => {
    const before = await probes.available(cup.productId);
    await system.paymentProxy.update({
      enabled: false,
      listen: system.paymentProxy.listen,
      upstream: system.paymentProxy.upstream,
    });
    const orderId = await sagaLeftBehind('CHARGING');
    expect((await reserveDirectly(orderId)).status).toBe(200);
    await settled(orderId);

    expect((await getOrder(orderId)).body).toMatchObject({ status: 'CANCELLED', cancellationReason: 'TIMEOUT' });
    const { rows } = await order.pool.query<{ saga_step: string }>('SELECT saga_step FROM orders WHERE id = $1', [
      orderId,
    ]);
    expect(rows[0]?.saga_step).toBe('CHARGE_AUDIT');
    expect(await probes.available(cup.productId)).toBe(before);
  });

  it('leaves a saga alone while another runner holds its lease', async () => {
    const orderId = await sagaLeftBehind('CREATED', { leaseMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const { rows } = await order.pool.query<{ status: string; attempts: number }>(
      'SELECT status, attempts FROM orders WHERE id = $1',
      [orderId],
    );
    expect(rows[0]).toEqual({ status: 'PENDING', attempts: 0 });
    expect(await probes.reservation(orderId)).toBeUndefined();
  });
});
