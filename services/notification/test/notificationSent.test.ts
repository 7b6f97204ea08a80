import { randomUUID } from 'node:crypto';
import { exchanges, routingKeys, validateEvent } from '@harness/contracts';
import {
  BrokerConnection,
  createLogger,
  createPool,
  deadLetterQueueOf,
  migrate,
  retryQueueOf,
  startOutboxRelay,
  topologySetup,
  type Consumer,
  type OutboxRelay,
  type Pool,
} from '@harness/kit';
import { createTestDatabase, eventually, infra } from '@harness/runtime/testing';
import amqp, { type Channel, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationMigrations } from '../src/migrations.ts';
import { notificationEventsTopology } from '../src/notificationSent.ts';
import { orderEventsQueue, orderEventsTopology, startOrderEventsConsumer } from '../src/orderEventsConsumer.ts';
import { orderCancelled, orderConfirmed } from './support/orderEvents.ts';

// Notification announces every e-mail it records: the consumer enqueues a NotificationSent in the
// transaction that records the e-mail, and the kit's outbox relay publishes it to the
// `notifications` exchange. Queues of this file's own (the order events in, the NotificationSent
// out) keep other consumers away from these messages.
const suffix = randomUUID().slice(0, 8);
const queue = orderEventsQueue({
  name: `notification.order-events.sent-test-${suffix}`,
  retryDelayMs: 100,
  maxAttempts: 2,
});
const sentQueue = `notification-sent.test-${suffix}`;

/** Orders whose e-mail the "mail server" refuses: the transaction fails, so nothing is recorded. */
const refusedSendsSql = `
  CREATE TABLE refused_sends (order_id uuid PRIMARY KEY);
  CREATE FUNCTION refuse_sends() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF EXISTS (SELECT 1 FROM refused_sends WHERE order_id = NEW.order_id) THEN
      RAISE EXCEPTION 'mail server refused order %', NEW.order_id;
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER refuse_sends BEFORE INSERT ON notifications FOR EACH ROW EXECUTE FUNCTION refuse_sends();
`;

interface Announced {
  payload: Record<string, unknown>;
  headers: Record<string, unknown>;
}

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
let broker: BrokerConnection;
let consumer: Consumer;
let relay: OutboxRelay;
let connection: ChannelModel;
let publisher: ConfirmChannel;
let listener: Channel;
const announced: Announced[] = [];

beforeAll(async () => {
  database = await createTestDatabase('notification_sent');
  pool = createPool(database.url, { max: 4 });
  await migrate(pool, notificationMigrations);
  await pool.query(refusedSendsSql);
  const logger = createLogger({ service: 'notification-test', level: 'silent' });
  broker = new BrokerConnection({ url: infra().rabbitmq.url, logger });
  await broker.addSetup(topologySetup(orderEventsTopology(queue)));
  await broker.addSetup(topologySetup(notificationEventsTopology));
  consumer = await startOrderEventsConsumer({ pool, broker, queue, prefetch: 10, logger });
  await broker.start();
  connection = await amqp.connect(infra().rabbitmq.url);
  publisher = await connection.createConfirmChannel();
  listener = await connection.createChannel();
  await listener.assertExchange(exchanges.notificationEvents.name, 'topic', { durable: true });
  await listener.assertQueue(sentQueue, { exclusive: true });
  await listener.bindQueue(sentQueue, exchanges.notificationEvents.name, routingKeys.NotificationSent);
  await listener.consume(
    sentQueue,
    (message) => {
      if (message === null) return;
      announced.push({
        payload: JSON.parse(message.content.toString()) as Record<string, unknown>,
        headers: message.properties.headers ?? {},
      });
    },
    { noAck: true },
  );
  relay = startOutboxRelay({ pool, broker, logger, intervalMs: 50 });
});
afterAll(async () => {
  await relay?.stop();
  await consumer?.stop();
  await broker?.close();
  if (connection) {
    const channel = await connection.createChannel();
    for (const name of [queue.name, retryQueueOf(queue.name), deadLetterQueueOf(queue.name)]) {
      await channel.deleteQueue(name);
    }
    await channel.close();
  }
  await connection?.close().catch(() => undefined);
  await pool?.end();
  await database?.drop();
});

/** Publishes an order event the way the order service's outbox relay does. */
async function publishEvent(eventType: 'OrderConfirmed' | 'OrderCancelled', payload: { eventId: string }) {
  publisher.publish(exchanges.orderEvents.name, routingKeys[eventType], Buffer.from(JSON.stringify(payload)), {
    messageId: payload.eventId,
    contentType: 'application/json',
    persistent: true,
    headers: { eventId: payload.eventId, eventType, schemaVersion: 1 },
  });
  await publisher.waitForConfirms();
}

/**
 * The NotificationSent messages of one order that this file's notification published: the exchanges
 * are shared with the files running beside it, and another notification consumer bound to the order
 * events gets a copy of this file's events and announces an e-mail of its own (same order, its own
 * notification id). This one's announcements are those of its outbox rows.
 */
async function announcedFor(orderId: string): Promise<Announced[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT event_id::text AS id FROM outbox WHERE message_type = 'NotificationSent' AND payload->>'orderId' = $1`,
    [orderId],
  );
  const own = new Set(rows.map((row) => row.id));
  return announced.filter(
    (message) => message.payload['orderId'] === orderId && own.has(String(message.payload['eventId'])),
  );
}

async function notificationsOf(
  orderId: string,
): Promise<{ id: string; event_id: string; kind: string; sent_at: Date }[]> {
  const { rows } = await pool.query('SELECT id, event_id, kind, sent_at FROM notifications WHERE order_id = $1', [
    orderId,
  ]);
  return rows;
}

describe('NotificationSent', () => {
  it('publishes one NotificationSent, valid against the contract, for the e-mail it records', async () => {
    const event = orderConfirmed();
    await publishEvent('OrderConfirmed', event);
    const [message] = await eventually(async () => {
      const own = await announcedFor(event.orderId);
      return own.length > 0 && own;
    });
    const [row] = await notificationsOf(event.orderId);
    expect(message?.payload).toEqual({
      eventId: expect.any(String) as unknown,
      occurredAt: row?.sent_at.toISOString(),
      orderId: event.orderId,
      notificationId: row?.id,
      orderEventId: event.eventId,
      kind: 'ORDER_CONFIRMED',
      channel: 'email',
      sentAt: row?.sent_at.toISOString(),
    });
    expect(validateEvent(message?.headers, message?.payload)).toMatchObject({ ok: true });
    expect(message?.headers).toMatchObject({ eventType: 'NotificationSent', eventId: message?.payload['eventId'] });
  });

  it('publishes exactly one per e-mail when the order event is delivered twice', async () => {
    const event = orderConfirmed();
    await publishEvent('OrderConfirmed', event);
    await publishEvent('OrderConfirmed', event);
    // A later event of the same order proves both deliveries of the first were handled.
    await publishEvent('OrderCancelled', orderCancelled(event.orderId));
    await eventually(async () => (await announcedFor(event.orderId)).length >= 2);
    await eventually(async () => {
      const { rows } = await pool.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
      return rows[0].n === 0;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const rows = await notificationsOf(event.orderId);
    expect(rows).toHaveLength(2);
    expect((await announcedFor(event.orderId)).map((message) => message.payload['notificationId']).sort()).toEqual(
      rows.map((row) => row.id).sort(),
    );
    const { rows: outbox } = await pool.query(
      `SELECT count(*)::int AS n FROM outbox WHERE message_type = 'NotificationSent' AND payload->>'orderId' = $1`,
      [event.orderId],
    );
    expect(outbox[0].n).toBe(2);
  });

  it('enqueues nothing when recording the e-mail fails (same transaction)', async () => {
    const refused = orderConfirmed();
    await pool.query('INSERT INTO refused_sends (order_id) VALUES ($1)', [refused.orderId]);
    await publishEvent('OrderConfirmed', refused);
    // Two attempts, then the dead-letter queue: wait until it left the retry cycle.
    await eventually(async () => {
      const channel = await connection.createChannel();
      try {
        return (await channel.checkQueue(deadLetterQueueOf(queue.name))).messageCount > 0;
      } finally {
        await channel.close();
      }
    });
    expect(await notificationsOf(refused.orderId)).toEqual([]);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM outbox WHERE payload->>'orderId' = $1`, [
      refused.orderId,
    ]);
    // Nothing in the outbox is nothing announced: the relay publishes outbox rows only (the shared
    // exchange may carry another notification's announcement of the same order, see announcedFor).
    expect(rows[0].n).toBe(0);
  });
});
