import { waitUntil } from '@harness/runtime';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Latency } from 'toxiproxy-node-client';
import { collectOrderEvents } from './support/eventCollector.ts';
import { getOrderVia, newKey, placeOrderVia, systemProbes } from './support/probes.ts';
import {
  startOrderInProcess,
  startTestSystem,
  type InProcessOrderService,
  type OrderTestSystem,
} from './support/testSystem.ts';

let system: OrderTestSystem;
let events: Awaited<ReturnType<typeof collectOrderEvents>>;
let probes: ReturnType<typeof systemProbes>;
const running: InProcessOrderService[] = [];

beforeAll(async () => {
  system = await startTestSystem();
  events = await collectOrderEvents(system.amqpUrl);
  probes = systemProbes(system);
});

afterEach(async () => {
  await system.healLinks();
  await Promise.allSettled(running.splice(0).map((order) => order.stop()));
});

afterAll(async () => {
  await events?.close();
  await system?.stop();
});

/** An order service of its own per test (fresh database, fresh breakers), fast timings. */
async function orderService(overrides: Record<string, string> = {}) {
  const order = await startOrderInProcess(system, {
    OUTBOX_POLL_INTERVAL_MS: '50',
    SAGA_RECOVERY_INTERVAL_MS: '100',
    SAGA_RETRY_BASE_MS: '200',
    SAGA_RETRY_MAX_MS: '500',
    SAGA_AUDIT_DELAY_MS: '300',
    PAYMENT_BREAKER_HALF_OPEN_MS: '500',
    ...overrides,
  });
  running.push(order);
  return {
    order,
    placeOrder: placeOrderVia(order.app, system.serviceToken),
    getOrder: getOrderVia(order.app, system.serviceToken),
  };
}

const sagaStepOf = async (order: InProcessOrderService, orderId: string): Promise<string | undefined> =>
  (await order.pool.query<{ saga_step: string }>('SELECT saga_step FROM orders WHERE id = $1', [orderId])).rows[0]
    ?.saga_step;

const slowAnswers = (latency: number) => ({
  name: 'slow-answers',
  type: 'latency' as const,
  stream: 'downstream' as const,
  toxicity: 1,
  attributes: { latency, jitter: 0 } satisfies Latency,
});

const oneCup = { items: [{ productId: 'ceramic-cup-2', quantity: 1 }], paymentToken: 'tok_approve' };

describe('when payment is unreachable', () => {
  it('answers 503 + Retry-After, releases the stock and cancels with PAYMENT_UNAVAILABLE', async () => {
    const { order, placeOrder, getOrder } = await orderService();
    const before = await probes.available('ceramic-cup-2');
    await system.paymentProxy.update({
      enabled: false,
      listen: system.paymentProxy.listen,
      upstream: system.paymentProxy.upstream,
    });

    const response = await placeOrder(oneCup, newKey());

    expect(response.status).toBe(503);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(response.body).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', cancellationReason: 'PAYMENT_UNAVAILABLE' });
    const orderId = String(response.body.orderId);
    expect((await getOrder(orderId)).body).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'PAYMENT_UNAVAILABLE',
    });
    expect((await probes.reservation(orderId))?.status).toBe('RELEASED');
    expect(await probes.available('ceramic-cup-2')).toBe(before);
    await waitUntil('OrderCancelled published', async () => events.forOrder(orderId).length === 1, {
      timeoutMs: 10_000,
    });
    expect(events.forOrder(orderId)[0]).toMatchObject({
      routingKey: 'order.cancelled',
      payload: { reason: 'PAYMENT_UNAVAILABLE' },
    });

    // Once payment is back, the audit confirms no charge slipped through.
    await system.healLinks();
    await waitUntil('charge audit done', async () => (await sagaStepOf(order, orderId)) === 'CANCELLED', {
      timeoutMs: 10_000,
    });
    expect(await probes.charges(orderId)).toEqual([]);
  });

  it('places a new order when the client retries the same key after payment is back (a 503 is not replayed)', async () => {
    const { placeOrder, getOrder } = await orderService();
    const key = newKey();
    await system.paymentProxy.update({
      enabled: false,
      listen: system.paymentProxy.listen,
      upstream: system.paymentProxy.upstream,
    });
    const refused = await placeOrder(oneCup, key);
    expect(refused.status).toBe(503);
    const cancelledId = String(refused.body.orderId);

    await system.healLinks();
    const retried = await placeOrder(oneCup, key);
    expect(retried.status).toBe(201);
    const confirmedId = String(retried.body.id);
    expect(confirmedId).not.toBe(cancelledId);
    expect((await getOrder(cancelledId)).body).toMatchObject({ status: 'CANCELLED' });
    expect(await probes.charges(confirmedId)).toHaveLength(1);

    // From now on the key replays the confirmed order.
    const replayed = await placeOrder(oneCup, key);
    expect(replayed.status).toBe(201);
    expect(replayed.body).toMatchObject({ id: confirmedId, status: 'CONFIRMED' });
  });
});

describe('when the payment circuit is open', () => {
  it('answers 503 at once without calling payment, and needs no charge audit', async () => {
    const { order, placeOrder } = await orderService({
      PAYMENT_BREAKER_THRESHOLD: '2',
      PAYMENT_RETRY_ATTEMPTS: '1',
      PAYMENT_BREAKER_HALF_OPEN_MS: '60000',
    });
    await system.paymentProxy.update({
      enabled: false,
      listen: system.paymentProxy.listen,
      upstream: system.paymentProxy.upstream,
    });
    for (let i = 0; i < 2; i++) expect((await placeOrder(oneCup, newKey())).status).toBe(503);

    const started = Date.now();
    const response = await placeOrder(oneCup, newKey());

    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ cancellationReason: 'PAYMENT_UNAVAILABLE' });
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(1);
    expect(Date.now() - started).toBeLessThan(1_000);
    const shortCircuited = order.resilienceEvents.list().filter((event) => event.type === 'short_circuited');
    expect(shortCircuited.map((event) => event.dependency)).toEqual(['payment']);
    expect(await sagaStepOf(order, String(response.body.orderId))).toBe('CANCELLED');
  });
});

describe('when inventory is unreachable', () => {
  it('answers 503 and cancels with INVENTORY_UNAVAILABLE when the order could be priced', async () => {
    const { placeOrder, getOrder } = await orderService();
    expect((await placeOrder(oneCup, newKey())).status).toBe(201); // the catalog is now cached
    await system.inventoryProxy.update({
      enabled: false,
      listen: system.inventoryProxy.listen,
      upstream: system.inventoryProxy.upstream,
    });

    const response = await placeOrder(oneCup, newKey());

    expect(response.status).toBe(503);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    const orderId = String(response.body.orderId);
    expect((await getOrder(orderId)).body).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'INVENTORY_UNAVAILABLE',
    });
    expect(await probes.charges(orderId)).toEqual([]);
    await waitUntil('OrderCancelled published', async () => events.forOrder(orderId).length === 1, {
      timeoutMs: 10_000,
    });
  });

  it('answers 503 and creates no order when no catalog is known to price it', async () => {
    const { order, placeOrder } = await orderService();
    await system.inventoryProxy.update({
      enabled: false,
      listen: system.inventoryProxy.listen,
      upstream: system.inventoryProxy.upstream,
    });

    const response = await placeOrder(oneCup, newKey());

    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expect((await order.pool.query('SELECT id FROM orders')).rows).toEqual([]);
  });
});

describe('when the charge times out (it may have happened)', () => {
  const timeouts = { PAYMENT_TIMEOUT_MS: '400', PAYMENT_RETRY_ATTEMPTS: '2' };

  it('answers 202 + Location, and the worker learns the charge with the same key and confirms: one charge', async () => {
    const { order, placeOrder, getOrder } = await orderService({ ...timeouts, SAGA_MAX_ATTEMPTS: '100' });
    await system.paymentProxy.addToxic(slowAnswers(1_500));
    const key = newKey();

    const response = await placeOrder(oneCup, key);

    expect(response.status).toBe(202);
    const orderId = String(response.body.orderId);
    expect(response.body).toEqual({ orderId, status: 'PENDING', statusUrl: `/orders/${orderId}` });
    expect(response.headers.location).toBe(`/orders/${orderId}`);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(await sagaStepOf(order, orderId)).toBe('CHARGE_UNKNOWN');
    expect([202, 409]).toContain((await placeOrder(oneCup, key)).status);

    await system.healLinks();
    await waitUntil('order confirmed', async () => (await getOrder(orderId)).body.status === 'CONFIRMED', {
      timeoutMs: 15_000,
    });
    expect(await probes.charges(orderId)).toHaveLength(1);
    expect((await placeOrder(oneCup, key)).status).toBe(201);
  });

  it('cancels with TIMEOUT past the deadline, releases the stock and refunds the charge it then finds', async () => {
    const { order, placeOrder, getOrder } = await orderService({ ...timeouts, SAGA_DEADLINE_MS: '2000' });
    const before = await probes.available('ceramic-cup-2');
    await system.paymentProxy.addToxic(slowAnswers(1_500));

    const response = await placeOrder(oneCup, newKey());
    expect(response.status).toBe(202);
    const orderId = String(response.body.orderId);

    await waitUntil('order cancelled', async () => (await getOrder(orderId)).body.status === 'CANCELLED', {
      timeoutMs: 15_000,
    });
    expect((await getOrder(orderId)).body.cancellationReason).toBe('TIMEOUT');
    expect((await probes.reservation(orderId))?.status).toBe('RELEASED');
    expect(await probes.available('ceramic-cup-2')).toBe(before);

    await system.healLinks();
    await waitUntil('charge refunded', async () => (await sagaStepOf(order, orderId)) === 'REFUNDED', {
      timeoutMs: 20_000,
    });
    const charges = await probes.charges(orderId);
    expect(charges).toHaveLength(1);
    expect(await probes.wasRefunded(String(charges[0]?.id))).toBe(true);
  });
});
