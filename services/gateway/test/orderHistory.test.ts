import { randomUUID } from 'node:crypto';
import { exchanges, routingKeys, type OrderCancelledPayload, type OrderConfirmedPayload } from '@harness/contracts';
import {
  BrokerConnection,
  createLogger,
  createPool,
  deadLetterQueueOf,
  migrate,
  retryQueueOf,
  topologySetup,
  type Consumer,
  type Pool,
} from '@harness/kit';
import { createTestDatabase, infra } from '@harness/runtime/testing';
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadHistoryMigrations } from '../src/history/historyMigrations.ts';
import type { OrderHistory } from '../src/history/orderHistory.ts';
import {
  orderHistoryQueue,
  orderHistoryTopology,
  startOrderHistoryConsumer,
} from '../src/history/orderHistoryProjection.ts';
import { orderHistoryStore } from '../src/history/orderHistoryStore.ts';
import { rabbitMqBacklog, trackReadModelLag, type ReadModelLag } from '../src/history/readModelLag.ts';
import { problem } from './support/fixtures.ts';
import { fullAuth, gatewayUnderTest } from './support/gatewayUnderTest.ts';
import { dependencyStubs } from './support/stubs.ts';

// The order history read model on real PostgreSQL and RabbitMQ: a queue of this file's own,
// bound like the contract's queue, fed by events published the way the order service's relay does.
const queue = orderHistoryQueue({
  name: `gateway.order-history.test-${randomUUID().slice(0, 8)}`,
  retryDelayMs: 300,
  maxAttempts: 2,
});
const { stubs, ready } = dependencyStubs();
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
let broker: BrokerConnection;
let consumer: Consumer;
let publisherConnection: ChannelModel;
let publisher: ConfirmChannel;
let app: FastifyInstance;
let bareApp: FastifyInstance;
let lag: ReadModelLag;

/** Retries an assertion until it holds (10 s at most). */
const waitFor = (assertion: () => Promise<void>): Promise<void> =>
  vi.waitFor(assertion, { timeout: 10_000, interval: 50 });

/** A lag the tests set: 0.4 s, fresh, unless a test says otherwise. */
const fakeLag = { seconds: 0.4, stale: false };

beforeAll(async () => {
  await ready;
  database = await createTestDatabase('gateway');
  pool = createPool(database.url, { max: 4 });
  await migrate(pool, loadHistoryMigrations());
  const logger = createLogger({ service: 'gateway-test', level: 'silent' });
  broker = new BrokerConnection({ url: infra().rabbitmq.url, logger });
  await broker.addSetup(topologySetup(orderHistoryTopology(queue)));
  consumer = await startOrderHistoryConsumer({ pool, broker, queue, prefetch: 10, logger });
  lag = trackReadModelLag({
    backlog: rabbitMqBacklog(broker, [queue.name, retryQueueOf(queue.name)]),
    intervalMs: 100,
    staleAfterMs: 1_000,
  });
  await broker.start();
  publisherConnection = await amqp.connect(infra().rabbitmq.url);
  publisher = await publisherConnection.createConfirmChannel();
  const history: OrderHistory = {
    store: orderHistoryStore(pool),
    lag: { lagSeconds: () => fakeLag.seconds, stale: () => fakeLag.stale, check: async () => {}, stop: () => {} },
  };
  const urls = {
    orderUrl: stubs.order.url,
    inventoryUrl: stubs.inventory.url,
    notificationUrl: stubs.notification.url,
  };
  app = gatewayUnderTest({ ...urls, history }).app;
  bareApp = gatewayUnderTest(urls).app;
});
afterAll(async () => {
  lag?.stop();
  await app?.close();
  await bareApp?.close();
  await consumer?.stop();
  await broker?.close();
  if (publisherConnection) {
    const channel = await publisherConnection.createChannel();
    for (const name of [queue.name, retryQueueOf(queue.name), deadLetterQueueOf(queue.name)]) {
      await channel.deleteQueue(name);
    }
    await channel.close();
  }
  await publisherConnection?.close().catch(() => undefined);
  await pool?.end();
  await database?.drop();
});

const at = (ms: number): string => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();

function confirmed(orderId: string, ownerId: string, createdMs: number): OrderConfirmedPayload {
  return {
    eventId: randomUUID(),
    occurredAt: at(createdMs + 500),
    orderId,
    ownerId,
    createdAt: at(createdMs),
    totalCents: 3798,
    currency: 'EUR',
    items: [{ productId: 'espresso-1kg', quantity: 2, unitPriceCents: 1899 }],
  };
}

function cancelled(orderId: string, ownerId: string, createdMs: number, occurredMs: number): OrderCancelledPayload {
  return {
    eventId: randomUUID(),
    occurredAt: at(occurredMs),
    orderId,
    ownerId,
    createdAt: at(createdMs),
    reason: 'PAYMENT_DECLINED',
    items: [{ productId: 'moka-pot-6', quantity: 1 }],
    totalCents: 3450,
    currency: 'EUR',
    pricedItems: [{ productId: 'moka-pot-6', quantity: 1, unitPriceCents: 3450 }],
  };
}

async function publish(eventType: 'OrderConfirmed' | 'OrderCancelled', payload: { eventId: string }): Promise<void> {
  publisher.publish(exchanges.orderEvents.name, routingKeys[eventType], Buffer.from(JSON.stringify(payload)), {
    messageId: payload.eventId,
    contentType: 'application/json',
    persistent: true,
    headers: { eventId: payload.eventId, eventType, schemaVersion: 1 },
  });
  await publisher.waitForConfirms();
}

async function rowOf(orderId: string) {
  const { rows } = await pool.query(
    'SELECT status, owner_id, total_cents, event_id FROM order_history WHERE order_id = $1',
    [orderId],
  );
  return rows[0] as { status: string; owner_id: string; total_cents: string; event_id: string } | undefined;
}

const history = (query = '', target = app) =>
  target.inject({ method: 'GET', url: `/api/v1/orders${query}`, headers: fullAuth });

describe('the order history read model', () => {
  it('projects each order event once, and an older event arriving late leaves the newer state', async () => {
    const orderId = randomUUID();
    const newer = cancelled(orderId, 'demo', 1_000, 9_000);
    await publish('OrderCancelled', newer);
    await waitFor(async () => expect((await rowOf(orderId))?.status).toBe('CANCELLED'));
    // A redelivery of the same event and an older OrderConfirmed change nothing.
    await publish('OrderCancelled', newer);
    await publish('OrderConfirmed', confirmed(orderId, 'demo', 1_000));
    const marker = randomUUID();
    await publish('OrderConfirmed', confirmed(marker, 'demo', 2_000));
    await waitFor(async () => expect(await rowOf(marker)).toBeDefined());
    expect(await rowOf(orderId)).toEqual({
      status: 'CANCELLED',
      owner_id: 'demo',
      total_cents: '3450',
      event_id: newer.eventId,
    });
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM processed_events WHERE event_id = $1', [
      newer.eventId,
    ]);
    expect(rows[0].n).toBe(1);
  });

  it('dead-letters an event that breaks the AsyncAPI schema, and goes on with the next one', async () => {
    const bad = { ...confirmed(randomUUID(), 'demo', 3_000), totalCents: 'lots' };
    await publish('OrderConfirmed', bad);
    const next = confirmed(randomUUID(), 'demo', 3_100);
    await publish('OrderConfirmed', next);
    await waitFor(async () => expect(await rowOf(next.orderId)).toBeDefined());
    expect(await rowOf(bad.orderId)).toBeUndefined();
    const channel = await publisherConnection.createChannel();
    await waitFor(async () =>
      expect((await channel.checkQueue(deadLetterQueueOf(queue.name))).messageCount).toBeGreaterThanOrEqual(1),
    );
    await channel.close();
  });
});

describe('GET /api/v1/orders (the caller’s history)', () => {
  it("lists only the caller's orders, newest first, with the read model's freshness, in pages", async () => {
    const mine = [randomUUID(), randomUUID(), randomUUID()];
    // Two orders created in the same millisecond: the page boundary must not lose either.
    await publish('OrderConfirmed', confirmed(mine[0]!, 'demo', 10_000));
    await publish('OrderConfirmed', confirmed(mine[1]!, 'demo', 20_000));
    await publish('OrderCancelled', cancelled(mine[2]!, 'demo', 20_000, 21_000));
    const theirs = randomUUID();
    await publish('OrderConfirmed', confirmed(theirs, 'someone-else', 30_000));
    await waitFor(async () => {
      for (const id of [...mine, theirs]) expect(await rowOf(id)).toBeDefined();
    });

    const all = await history('?limit=100');
    expect(all.statusCode).toBe(200);
    const body = all.json() as { items: Array<{ id: string; createdAt: string }>; lagSeconds: number; stale: boolean };
    expect(body.items.map((o) => o.id)).not.toContain(theirs);
    expect(body).toMatchObject({ lagSeconds: 0.4, stale: false });
    const ids = body.items.map((o) => o.id);
    const newestTwo = [mine[1]!, mine[2]!].sort().reverse();
    expect(ids.slice(0, 3)).toEqual([...newestTwo, mine[0]]);
    expect(body.items.find((o) => o.id === mine[2])).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'PAYMENT_DECLINED',
      totalCents: 3450,
      items: [{ productId: 'moka-pot-6', quantity: 1, unitPriceCents: 3450 }],
      createdAt: at(20_000),
      updatedAt: at(21_000),
    });

    // Page by one: every order once, in the same order.
    const paged: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const answer = await history(`?limit=1${cursor === undefined ? '' : `&after=${encodeURIComponent(cursor)}`}`);
      const { items, next } = answer.json() as { items: Array<{ id: string }>; next?: string };
      paged.push(...items.map((o) => o.id));
      if (next === undefined) break;
      cursor = next;
    }
    expect(paged.slice(0, 3)).toEqual(ids.slice(0, 3));

    fakeLag.seconds = 12.34;
    fakeLag.stale = true;
    expect((await history()).json()).toMatchObject({ lagSeconds: 12.3, stale: true });
    fakeLag.seconds = 0.4;
    fakeLag.stale = false;
  });

  it('refuses a malformed cursor (400) and answers 503 when the gateway runs without the read model', async () => {
    const bad = await history('?after=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    const none = await history('', bareApp);
    expect(none.statusCode).toBe(503);
    expect(none.headers['retry-after']).toBeDefined();
    expect(none.json()).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
  });

  it('refuses a cursor of the right form that names no point in time (422, not a 500 from PostgreSQL)', async () => {
    const id = '00000000-0000-0000-0000-000000000000';
    const cases: [string, string][] = [
      ['0000-00-00T00:00:00Z', '0000-00-00 is not a day of the calendar'],
      ['2025-02-29T10:00:00Z', '2025-02-29 is not a day of the calendar'],
      ['2025-04-31T10:00:00Z', '2025-04-31 is not a day of the calendar'],
      ['2025-13-01T10:00:00Z', '2025-13-01 is not a day of the calendar'],
      ['2025-01-01T24:00:00Z', '24:00:00 is not a time of day'],
    ];
    for (const [at, detail] of cases) {
      const answer = await history(`?after=${encodeURIComponent(`${at}_${id}`)}`);
      expect(answer.statusCode, at).toBe(422);
      expect(answer.json()).toMatchObject({ code: 'INVALID_CURSOR', detail: `after: ${detail}` });
    }
    const leapDay = await history(`?after=${encodeURIComponent(`2024-02-29T23:59:59.123456Z_${id}`)}`);
    expect(leapDay.statusCode).toBe(200);
  });
});

describe('the order view falls back to the read model', () => {
  it('answers from the read model, marked, when the order service is unavailable; 503 when it does not hold the order', async () => {
    const orderId = randomUUID();
    await publish('OrderConfirmed', confirmed(orderId, 'demo', 40_000));
    await waitFor(async () => expect(await rowOf(orderId)).toBeDefined());
    stubs.order.handler = () => ({
      status: 503,
      body: problem(503, 'DEPENDENCY_UNAVAILABLE'),
      headers: { 'retry-after': '1' },
    });
    stubs.notification.handler = () => ({ status: 200, body: { items: [] } });

    const view = await app.inject({ method: 'GET', url: `/api/v1/orders/${orderId}`, headers: fullAuth });
    expect(view.statusCode).toBe(200);
    expect(view.json()).toEqual({
      order: {
        id: orderId,
        status: 'CONFIRMED',
        items: [{ productId: 'espresso-1kg', quantity: 2, unitPriceCents: 1899 }],
        totalCents: 3798,
        currency: 'EUR',
        createdAt: at(40_000),
        updatedAt: at(40_500),
      },
      notifications: [],
      degraded: [],
      source: 'read-model',
      stale: false,
      lagSeconds: 0.4,
    });
    const unknown = await app.inject({ method: 'GET', url: `/api/v1/orders/${randomUUID()}`, headers: fullAuth });
    expect(unknown.statusCode).toBe(503);
    // A 404 from the order service is the answer: the read model is not asked.
    stubs.order.handler = () => ({ status: 404, body: problem(404, 'ORDER_NOT_FOUND') });
    expect((await app.inject({ method: 'GET', url: `/api/v1/orders/${orderId}`, headers: fullAuth })).statusCode).toBe(
      404,
    );
  });
});

describe("the read model's lag", () => {
  it('is zero while nothing waits, grows while a backlog or an unreachable broker keeps it behind, and is stale past the bound', async () => {
    let clock = 0;
    let backlog: number | Error = 0;
    const tracked = trackReadModelLag({
      backlog: async () => {
        if (backlog instanceof Error) throw backlog;
        return backlog;
      },
      intervalMs: 60_000,
      staleAfterMs: 5_000,
      now: () => clock,
    });
    await tracked.check();
    clock = 1_000;
    expect(tracked.lagSeconds()).toBe(1);
    await tracked.check();
    expect(tracked.lagSeconds()).toBe(0);
    backlog = 3;
    clock = 4_000;
    await tracked.check();
    expect(tracked.lagSeconds()).toBe(3);
    backlog = new Error('broker unreachable');
    clock = 7_000;
    await tracked.check();
    expect([tracked.lagSeconds(), tracked.stale()]).toEqual([6, true]);
    backlog = 0;
    await tracked.check();
    expect([tracked.lagSeconds(), tracked.stale()]).toEqual([0, false]);
    tracked.stop();
  });

  it("counts the messages waiting in the read model's queue on the real broker", async () => {
    const idle = `gateway.lag-test-${randomUUID().slice(0, 8)}`;
    const channel = await publisherConnection.createChannel();
    await channel.assertQueue(idle, { durable: false, autoDelete: false });
    const probe = rabbitMqBacklog(broker, [idle]);
    await waitFor(async () => expect(await probe()).toBe(0));
    for (let i = 0; i < 3; i++) channel.sendToQueue(idle, Buffer.from('x'));
    await waitFor(async () => expect(await probe()).toBe(3));
    // A queue that does not exist fails the check (its channel closes); the next check works again.
    await expect(rabbitMqBacklog(broker, [`missing-${randomUUID()}`])()).rejects.toThrow();
    await channel.purgeQueue(idle);
    await waitFor(async () => expect(await probe()).toBe(0));
    await channel.deleteQueue(idle);
    await channel.close();
    // The file's own tracker sees its queue drained: fresh.
    await waitFor(async () => expect(lag.stale()).toBe(false));
  });
});
