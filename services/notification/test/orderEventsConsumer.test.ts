import { randomUUID } from 'node:crypto';
import { exchanges, routingKeys } from '@harness/contracts';
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
import { createTestDatabase, eventually, infra } from '@harness/runtime/testing';
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationMigrations } from '../src/migrations.ts';
import { orderEventsQueue, orderEventsTopology, startOrderEventsConsumer } from '../src/orderEventsConsumer.ts';
import { orderCancelled, orderConfirmed } from './support/orderEvents.ts';

// A queue of this test file's own, bound like the contract's queue to the `orders` exchange, so
// no other consumer (another test, a running notification service) takes these messages. The
// contract's queue itself is exercised through main.ts in serviceProcess.test.ts.
const queue = orderEventsQueue({
  name: `notification.order-events.test-${randomUUID().slice(0, 8)}`,
  retryDelayMs: 500,
  maxAttempts: 3,
});
const exchange = exchanges.orderEvents.name;
const deadLetterQueue = deadLetterQueueOf(queue.name);

/**
 * A real failure of the e-mail step for chosen orders: a trigger refuses the notification row
 * while the order's sequence (not rolled back with the transaction) is within its failure count.
 */
const failingSendsSql = `
  CREATE TABLE failing_sends (order_id uuid PRIMARY KEY, attempts regclass NOT NULL, failures int NOT NULL);
  CREATE FUNCTION fail_chosen_sends() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE chosen failing_sends;
  BEGIN
    SELECT * INTO chosen FROM failing_sends WHERE order_id = NEW.order_id;
    IF FOUND AND nextval(chosen.attempts) <= chosen.failures THEN
      RAISE EXCEPTION 'mail server refused order %', NEW.order_id;
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER fail_chosen_sends BEFORE INSERT ON notifications FOR EACH ROW EXECUTE FUNCTION fail_chosen_sends();
`;

async function failSendsOf(orderId: string, failures: number): Promise<() => Promise<number>> {
  const sequence = `attempts_${orderId.replaceAll('-', '')}`;
  await pool.query(`CREATE SEQUENCE ${sequence}`);
  await pool.query('INSERT INTO failing_sends (order_id, attempts, failures) VALUES ($1, $2, $3)', [
    orderId,
    sequence,
    failures,
  ]);
  return async () => {
    const { rows } = await pool.query(`SELECT last_value, is_called FROM ${sequence}`);
    return rows[0].is_called ? Number(rows[0].last_value) : 0;
  };
}

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
let broker: BrokerConnection;
let consumer: Consumer;
let publisherConnection: ChannelModel;
let publisher: ConfirmChannel;

beforeAll(async () => {
  database = await createTestDatabase('notification');
  pool = createPool(database.url, { max: 4 });
  await migrate(pool, notificationMigrations);
  await pool.query(failingSendsSql);
  const logger = createLogger({ service: 'notification-test', level: 'silent' });
  broker = new BrokerConnection({ url: infra().rabbitmq.url, logger });
  await broker.addSetup(topologySetup(orderEventsTopology(queue)));
  consumer = await startOrderEventsConsumer({ pool, broker, queue, prefetch: 20, logger });
  await broker.start();
  publisherConnection = await amqp.connect(infra().rabbitmq.url);
  publisher = await publisherConnection.createConfirmChannel();
});
afterAll(async () => {
  await consumer?.stop();
  await broker?.close();
  if (publisherConnection) {
    const channel = await publisherConnection.createChannel();
    for (const name of [queue.name, retryQueueOf(queue.name), deadLetterQueue]) await channel.deleteQueue(name);
    await channel.close();
  }
  await publisherConnection?.close().catch(() => undefined);
  await pool?.end();
  await database?.drop();
});

interface RawMessage {
  routingKey: string;
  content: string;
  messageId: string;
  headers: Record<string, unknown>;
}

async function publishRaw(message: RawMessage): Promise<void> {
  publisher.publish(exchange, message.routingKey, Buffer.from(message.content), {
    messageId: message.messageId,
    contentType: 'application/json',
    persistent: true,
    headers: message.headers,
  });
  await publisher.waitForConfirms();
}

/** Publishes an event the way the order service's outbox relay does. */
function publishEvent(eventType: 'OrderConfirmed' | 'OrderCancelled', payload: { eventId: string }): Promise<void> {
  return publishRaw({
    routingKey: routingKeys[eventType],
    content: JSON.stringify(payload),
    messageId: payload.eventId,
    headers: { eventId: payload.eventId, eventType, schemaVersion: 1 },
  });
}

async function notificationsOf(
  orderId: string,
): Promise<{ event_id: string; kind: string; recipient: string; body: string }[]> {
  const { rows } = await pool.query('SELECT event_id, kind, recipient, body FROM notifications WHERE order_id = $1', [
    orderId,
  ]);
  return rows;
}

/** Message ids (and their dead-letter reason) currently in the DLQ; leaves the queue as it was except for `take`. */
async function deadLettered(ids: readonly string[]): Promise<Map<string, unknown>> {
  const channel = await publisherConnection.createChannel();
  const found = new Map<string, unknown>();
  try {
    for (;;) {
      const message = await channel.get(deadLetterQueue, { noAck: false });
      if (message === false) break;
      const id = message.properties.messageId as string | undefined;
      if (id !== undefined && ids.includes(id)) found.set(id, message.properties.headers?.['x-death-reason']);
    }
  } finally {
    await channel.close();
  }
  return found;
}

describe('order events consumer', () => {
  it('records one e-mail notification for an OrderConfirmed published to the orders exchange', async () => {
    const event = orderConfirmed();
    await publishEvent('OrderConfirmed', event);
    const rows = await eventually(async () => {
      const found = await notificationsOf(event.orderId);
      return found.length > 0 && found;
    });
    expect(rows).toEqual([
      {
        event_id: event.eventId,
        kind: 'ORDER_CONFIRMED',
        recipient: `customer+${event.orderId.slice(0, 8)}@example.test`,
        body: expect.stringContaining('Total: 72.48 EUR'),
      },
    ]);
  });

  it('records an OrderCancelled as a cancellation e-mail', async () => {
    const event = orderCancelled();
    await publishEvent('OrderCancelled', event);
    const rows = await eventually(async () => {
      const found = await notificationsOf(event.orderId);
      return found.length > 0 && found;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'ORDER_CANCELLED', body: expect.stringContaining('payment was declined') });
  });

  it('sends once when the same event is delivered twice', async () => {
    const event = orderConfirmed();
    await publishEvent('OrderConfirmed', event);
    await publishEvent('OrderConfirmed', event);
    // A later event of the same order proves both deliveries of the first were handled.
    const marker = orderCancelled(event.orderId);
    await publishEvent('OrderCancelled', marker);
    await eventually(async () => (await notificationsOf(event.orderId)).some((row) => row.event_id === marker.eventId));
    await eventually(async () => {
      const { rows } = await pool.query('SELECT count(*)::int AS n FROM processed_events WHERE event_id = $1', [
        event.eventId,
      ]);
      return rows[0].n === 1;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const rows = await notificationsOf(event.orderId);
    expect(rows.filter((row) => row.event_id === event.eventId)).toHaveLength(1);
    expect(rows).toHaveLength(2);
  });

  it('dead-letters poison messages at once and keeps processing the messages after them', async () => {
    const badJsonId = randomUUID();
    const invalid = { ...orderConfirmed(), totalCents: 'lots', items: [] };
    await publishRaw({
      routingKey: routingKeys.OrderConfirmed,
      content: '{"eventId": "not closed',
      messageId: badJsonId,
      headers: { eventId: badJsonId, eventType: 'OrderConfirmed' },
    });
    await publishEvent('OrderConfirmed', invalid);
    const good = orderConfirmed();
    await publishEvent('OrderConfirmed', good);

    await eventually(async () => (await notificationsOf(good.orderId)).length === 1);
    const dead = await eventually(async () => {
      const found = await deadLettered([badJsonId, invalid.eventId]);
      return found.size === 2 && found;
    });
    expect(dead.get(badJsonId)).toBe('invalid_json');
    expect(dead.get(invalid.eventId)).toBe('validation_failed');
    expect(await notificationsOf(invalid.orderId)).toHaveLength(0);
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM processed_events WHERE event_id = $1', [
      invalid.eventId,
    ]);
    expect(rows[0].n).toBe(0);
  });

  it('retries a failed send after the retry delay and records it once', async () => {
    const event = orderConfirmed();
    const attempts = await failSendsOf(event.orderId, 2);
    const started = Date.now();
    await publishEvent('OrderConfirmed', event);
    await eventually(async () => (await notificationsOf(event.orderId)).length === 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 500);
    expect(await attempts()).toBe(3);
    expect(await notificationsOf(event.orderId)).toHaveLength(1);
  });

  it('dead-letters a message whose send keeps failing after the maximum attempts', async () => {
    const event = orderConfirmed();
    const attempts = await failSendsOf(event.orderId, 1_000);
    await publishEvent('OrderConfirmed', event);
    const dead = await eventually(async () => {
      const found = await deadLettered([event.eventId]);
      return found.size === 1 && found;
    });
    expect(dead.get(event.eventId)).toBe('max_attempts_exceeded');
    expect(await attempts()).toBe(3);
    expect(await notificationsOf(event.orderId)).toHaveLength(0);
  });
});
