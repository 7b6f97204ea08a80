import { randomUUID } from 'node:crypto';
import { exchanges, routingKeys, type NotificationSentPayload, type OrderConfirmedPayload } from '@harness/contracts';
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
import {
  orderHistoryQueue,
  orderHistoryTopology,
  startOrderHistoryConsumer,
} from '../src/history/orderHistoryProjection.ts';
import { orderHistoryStore } from '../src/history/orderHistoryStore.ts';
import {
  orderNotificationsQueue,
  orderNotificationsTopology,
  startOrderNotificationsConsumer,
} from '../src/history/orderNotificationsProjection.ts';
import { fullAuth, gatewayUnderTest } from './support/gatewayUnderTest.ts';
import { dependencyStubs } from './support/stubs.ts';

// The notifications of the order history read model on real PostgreSQL and RabbitMQ: queues of
// this file's own, bound like the contract's queues, fed by events published the way the order and
// notification services' outbox relays publish them.
const suffix = randomUUID().slice(0, 8);
const ordersQueue = orderHistoryQueue({
  name: `gateway.order-history.n-test-${suffix}`,
  retryDelayMs: 300,
  maxAttempts: 2,
});
const queue = orderNotificationsQueue({
  name: `gateway.order-history-notifications.test-${suffix}`,
  retryDelayMs: 300,
  maxAttempts: 2,
});
const { stubs, ready } = dependencyStubs();
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
let broker: BrokerConnection;
const consumers: Consumer[] = [];
let publisherConnection: ChannelModel;
let publisher: ConfirmChannel;
let app: FastifyInstance;

const waitFor = (assertion: () => Promise<void>): Promise<void> =>
  vi.waitFor(assertion, { timeout: 10_000, interval: 50 });

beforeAll(async () => {
  await ready;
  database = await createTestDatabase('gateway_notifications');
  pool = createPool(database.url, { max: 4 });
  await migrate(pool, loadHistoryMigrations());
  const logger = createLogger({ service: 'gateway-test', level: 'silent' });
  broker = new BrokerConnection({ url: infra().rabbitmq.url, logger });
  await broker.addSetup(topologySetup(orderHistoryTopology(ordersQueue)));
  await broker.addSetup(topologySetup(orderNotificationsTopology(queue)));
  consumers.push(await startOrderHistoryConsumer({ pool, broker, queue: ordersQueue, prefetch: 10, logger }));
  consumers.push(await startOrderNotificationsConsumer({ pool, broker, queue, prefetch: 10, logger }));
  await broker.start();
  publisherConnection = await amqp.connect(infra().rabbitmq.url);
  publisher = await publisherConnection.createConfirmChannel();
  app = gatewayUnderTest({
    orderUrl: stubs.order.url,
    inventoryUrl: stubs.inventory.url,
    notificationUrl: stubs.notification.url,
    history: {
      store: orderHistoryStore(pool),
      lag: { lagSeconds: () => 0, stale: () => false, check: async () => {}, stop: () => {} },
    },
  }).app;
});
afterAll(async () => {
  await app?.close();
  await Promise.all(consumers.map((consumer) => consumer.stop()));
  await broker?.close();
  if (publisherConnection) {
    const channel = await publisherConnection.createChannel();
    for (const { name } of [queue, ordersQueue]) {
      for (const each of [name, retryQueueOf(name), deadLetterQueueOf(name)]) await channel.deleteQueue(each);
    }
    await channel.close();
  }
  await publisherConnection?.close().catch(() => undefined);
  await pool?.end();
  await database?.drop();
});

function confirmed(orderId: string): OrderConfirmedPayload {
  return {
    eventId: randomUUID(),
    occurredAt: '2026-01-01T00:00:01.000Z',
    orderId,
    ownerId: 'demo',
    createdAt: '2026-01-01T00:00:00.000Z',
    totalCents: 3798,
    currency: 'EUR',
    items: [{ productId: 'espresso-1kg', quantity: 2, unitPriceCents: 1899 }],
  };
}

function notificationSent(
  orderId: string,
  kind: NotificationSentPayload['kind'],
  sentAt: string,
): NotificationSentPayload {
  return {
    eventId: randomUUID(),
    occurredAt: sentAt,
    orderId,
    notificationId: randomUUID(),
    orderEventId: randomUUID(),
    kind,
    channel: 'email',
    sentAt,
  };
}

async function publish(eventType: 'OrderConfirmed' | 'NotificationSent', payload: { eventId: string }): Promise<void> {
  const exchange = eventType === 'OrderConfirmed' ? exchanges.orderEvents.name : exchanges.notificationEvents.name;
  publisher.publish(exchange, routingKeys[eventType], Buffer.from(JSON.stringify(payload)), {
    messageId: payload.eventId,
    contentType: 'application/json',
    persistent: true,
    headers: { eventId: payload.eventId, eventType, schemaVersion: 1 },
  });
  await publisher.waitForConfirms();
}

async function notificationRows(orderId: string): Promise<{ notification_id: string; kind: string }[]> {
  const { rows } = await pool.query(
    'SELECT notification_id, kind FROM order_notifications WHERE order_id = $1 ORDER BY sent_at',
    [orderId],
  );
  return rows;
}

const historyItem = async (orderId: string) => {
  const answer = await app.inject({ method: 'GET', url: '/api/v1/orders?limit=100', headers: fullAuth });
  expect(answer.statusCode).toBe(200);
  return (answer.json() as { items: { id: string; notified: string[] }[] }).items.find((item) => item.id === orderId);
};

describe("the order history read model's notifications", () => {
  it('stores a NotificationSent once when it is delivered twice, or published again under a new event id', async () => {
    const orderId = randomUUID();
    const sent = notificationSent(orderId, 'ORDER_CONFIRMED', '2026-01-01T00:00:02.000Z');
    await publish('NotificationSent', sent);
    await publish('NotificationSent', sent);
    await publish('NotificationSent', { ...sent, eventId: randomUUID() });
    // A later notification of the same order proves the copies before it were handled.
    const marker = notificationSent(orderId, 'ORDER_CANCELLED', '2026-01-01T00:00:03.000Z');
    await publish('NotificationSent', marker);
    await waitFor(async () => expect(await notificationRows(orderId)).toHaveLength(2));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await notificationRows(orderId)).toEqual([
      { notification_id: sent.notificationId, kind: 'ORDER_CONFIRMED' },
      { notification_id: marker.notificationId, kind: 'ORDER_CANCELLED' },
    ]);
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM processed_events WHERE event_id = $1', [
      sent.eventId,
    ]);
    expect(rows[0].n).toBe(1);
  });

  it('lists the kinds of the e-mails sent in the order history, whichever event arrives first', async () => {
    const early = randomUUID();
    // The notification arrives before its order's event: it waits in its own table.
    await publish('NotificationSent', notificationSent(early, 'ORDER_CONFIRMED', '2026-01-01T00:00:02.000Z'));
    await waitFor(async () => expect(await notificationRows(early)).toHaveLength(1));
    await publish('OrderConfirmed', confirmed(early));
    const quiet = randomUUID();
    await publish('OrderConfirmed', confirmed(quiet));
    await waitFor(async () => {
      expect(await historyItem(early)).toMatchObject({ notified: ['ORDER_CONFIRMED'] });
      expect(await historyItem(quiet)).toMatchObject({ notified: [] });
    });
  });

  it('dead-letters a NotificationSent that breaks the AsyncAPI schema', async () => {
    const bad = { ...notificationSent(randomUUID(), 'ORDER_CONFIRMED', '2026-01-01T00:00:02.000Z'), kind: 'SMS' };
    await publish('NotificationSent', bad);
    const channel = await publisherConnection.createChannel();
    await waitFor(async () =>
      expect((await channel.checkQueue(deadLetterQueueOf(queue.name))).messageCount).toBeGreaterThanOrEqual(1),
    );
    await channel.close();
    expect(await notificationRows(bad.orderId)).toEqual([]);
  });
});
