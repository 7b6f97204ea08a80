import { randomUUID } from 'node:crypto';
import { createTestDatabase, eventually, infra, uniqueName } from '@harness/runtime/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.ts';
import { createPool, type Pool } from '../src/db/pool.ts';
import { withTransaction } from '../src/db/withTransaction.ts';
import { createMetrics } from '../src/observability/metrics.ts';
import { inSpan, SpanKind } from '../src/observability/tracing.ts';
import { BrokerConnection, type MessagePublisher } from '../src/messaging/BrokerConnection.ts';
import { enqueueOutbox } from '../src/messaging/enqueueOutbox.ts';
import { outboxMigration } from '../src/messaging/messagingMigrations.ts';
import { startOutboxRelay } from '../src/messaging/outboxRelay.ts';
import { drainQueue, openTestChannel } from './support/messaging.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
let broker: BrokerConnection;
let test: Awaited<ReturnType<typeof openTestChannel>>;

beforeAll(async () => {
  database = await createTestDatabase('kit_outbox');
  pool = createPool(database.url);
  await migrate(pool, [outboxMigration]);
  broker = new BrokerConnection({ url: infra().rabbitmq.url });
  await broker.start();
  test = await openTestChannel(infra().rabbitmq.url);
});
afterAll(async () => {
  await test?.close();
  await broker?.close();
  await pool?.end();
  await database?.drop();
});

/** An exchange with one queue bound to everything, both unique to the test. */
async function boundQueue(): Promise<{ exchange: string; queue: string }> {
  const exchange = uniqueName('kit-outbox');
  const queue = `${exchange}.all`;
  await test.channel.assertExchange(exchange, 'topic', { durable: true });
  await test.channel.assertQueue(queue, { durable: true });
  await test.channel.bindQueue(queue, exchange, '#');
  return { exchange, queue };
}

const orderConfirmed = (exchange: string) => ({
  exchange,
  routingKey: 'order.confirmed',
  messageType: 'OrderConfirmed',
  payload: { orderId: randomUUID(), totalCents: 7248 },
  headers: { schemaVersion: 1 },
});

describe('transactional outbox', () => {
  it('publishes nothing before the transaction commits, and nothing for a rolled-back one', async () => {
    const { exchange, queue } = await boundQueue();
    const relay = startOutboxRelay({ pool, broker, intervalMs: 20 });
    try {
      const eventId = await withTransaction(pool, async (tx) => {
        const id = await enqueueOutbox(tx, orderConfirmed(exchange));
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect((await test.channel.checkQueue(queue)).messageCount).toBe(0);
        return id;
      });
      await expect(
        withTransaction(pool, async (tx) => {
          await enqueueOutbox(tx, orderConfirmed(exchange));
          throw new Error('saga step failed');
        }),
      ).rejects.toThrow('saga step failed');

      const messages = await eventually(async () => {
        const got = await drainQueue(test.channel, queue);
        return got.length > 0 && got;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      messages.push(...(await drainQueue(test.channel, queue)));
      expect(messages.map((message) => message.properties.messageId)).toEqual([eventId]);
    } finally {
      await relay.stop();
    }
  });

  it('publishes persistently with the event headers, waits for confirms and marks the row', async () => {
    const { exchange, queue } = await boundQueue();
    const metrics = createMetrics('order', { defaultMetrics: false });
    const { eventId, traceId } = await inSpan('place order', { kind: SpanKind.SERVER }, async (span) => ({
      traceId: span.spanContext().traceId,
      eventId: await withTransaction(pool, (tx) => enqueueOutbox(tx, orderConfirmed(exchange))),
    }));
    const relay = startOutboxRelay({ pool, broker, metrics, intervalMs: 20 });
    try {
      const [message] = await eventually(async () => {
        const got = await drainQueue(test.channel, queue);
        return got.length > 0 && got;
      });
      expect(message?.properties).toMatchObject({
        messageId: eventId,
        type: 'OrderConfirmed',
        deliveryMode: 2,
        contentType: 'application/json',
        headers: {
          eventId,
          eventType: 'OrderConfirmed',
          schemaVersion: 1,
          traceparent: expect.stringContaining(traceId),
        },
      });
      expect(JSON.parse(message!.content.toString())).toMatchObject({ totalCents: 7248 });
      const row = await eventually(async () => {
        const { rows } = await pool.query('SELECT published_at, attempts FROM outbox WHERE event_id = $1', [eventId]);
        return rows[0]?.published_at && rows[0];
      });
      expect(row.attempts).toBe(1);
      await relay.runOnce();
      const text = await metrics.registry.metrics();
      expect(text).toMatch(/harness_outbox_pending\{service="order"\} 0/);
      expect(text).toMatch(/harness_outbox_lag_seconds\{service="order"\} 0/);
    } finally {
      await relay.stop();
    }
  });

  it('leaves rows pending while the broker is unreachable and publishes them once it is back', async () => {
    const { exchange, queue } = await boundQueue();
    const offline = new BrokerConnection({ url: infra().rabbitmq.url });
    const metrics = createMetrics('order', { defaultMetrics: false });
    const eventId = await withTransaction(pool, (tx) => enqueueOutbox(tx, orderConfirmed(exchange)));
    const stopped = startOutboxRelay({ pool, broker: offline, metrics });
    await stopped.stop(); // drive the first run from the test
    await expect(stopped.runOnce()).resolves.toBe(0);
    const relay = startOutboxRelay({ pool, broker: offline, metrics, intervalMs: 50 });
    try {
      const { rows } = await pool.query('SELECT published_at, attempts, last_error FROM outbox WHERE event_id = $1', [
        eventId,
      ]);
      expect(rows[0]).toMatchObject({ published_at: null, last_error: expect.stringContaining('not connected') });
      expect(rows[0].attempts).toBeGreaterThanOrEqual(1);
      expect(await metrics.registry.metrics()).toMatch(/harness_outbox_pending\{service="order"\} [1-9]/);

      await offline.start();
      const [message] = await eventually(async () => {
        const got = await drainQueue(test.channel, queue);
        return got.length > 0 && got;
      });
      expect(message?.properties.messageId).toBe(eventId);
    } finally {
      await relay.stop();
      await offline.close();
    }
  });

  it('keeps an event no queue is bound for pending instead of dropping it', async () => {
    const exchange = uniqueName('kit-unbound');
    await test.channel.assertExchange(exchange, 'topic', { durable: true });
    const eventId = await withTransaction(pool, (tx) => enqueueOutbox(tx, orderConfirmed(exchange)));
    const relay = startOutboxRelay({ pool, broker, intervalMs: 60_000 });
    await relay.stop(); // drive the run from the test
    try {
      await relay.runOnce();
      const { rows } = await pool.query('SELECT published_at, last_error FROM outbox WHERE event_id = $1', [eventId]);
      expect(rows[0]).toMatchObject({ published_at: null, last_error: expect.stringContaining('no queue is bound') });
    } finally {
      await relay.stop();
      await pool.query('DELETE FROM outbox WHERE event_id = $1', [eventId]);
    }
  });

  it('publishes again, with the same event id, when the relay dies between publish and mark', async () => {
    const { exchange, queue } = await boundQueue();
    const eventId = await withTransaction(pool, (tx) => enqueueOutbox(tx, orderConfirmed(exchange)));
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const doomedPool = createPool(database.url, { applicationName: 'relay-doomed' });
    // Publishes for real, then kills the relay's database session before it can mark the row.
    const crashingBroker: MessagePublisher = {
      publish: async (message) => {
        await broker.publish(message);
        await admin.query(
          "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = 'relay-doomed'",
        );
      },
    };
    const doomed = startOutboxRelay({ pool: doomedPool, broker: crashingBroker, intervalMs: 3_600_000 });
    await doomed.stop(); // no scheduled runs: the test drives the one run that dies
    await expect(doomed.runOnce()).rejects.toThrow();
    await doomedPool.end().catch(() => undefined);
    await admin.end();
    const { rows } = await pool.query('SELECT published_at FROM outbox WHERE event_id = $1', [eventId]);
    expect(rows[0].published_at).toBeNull();

    const relay = startOutboxRelay({ pool, broker, intervalMs: 20 });
    try {
      const messages: Awaited<ReturnType<typeof drainQueue>> = [];
      await eventually(async () => {
        messages.push(...(await drainQueue(test.channel, queue)));
        return messages.length >= 2;
      }).catch(() => undefined);
      expect(messages.map((message) => message.properties.messageId)).toEqual([eventId, eventId]);
    } finally {
      await relay.stop();
    }
  });
});
