import { randomUUID } from 'node:crypto';
import { createTestDatabase, eventually, infra, uniqueName } from '@harness/runtime/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.ts';
import { createPool, type Pool } from '../src/db/pool.ts';
import { withTransaction } from '../src/db/withTransaction.ts';
import { BrokerConnection, type MessagePublisher } from '../src/messaging/BrokerConnection.ts';
import { deadLetterQueueOf, topologySetup, type QueueTopology } from '../src/messaging/declareTopology.ts';
import { enqueueOutbox } from '../src/messaging/enqueueOutbox.ts';
import { outboxMigration, processedEventsMigration } from '../src/messaging/messagingMigrations.ts';
import { startOutboxRelay } from '../src/messaging/outboxRelay.ts';
import {
  startConsumer,
  type ConsumedMessage,
  type Consumer,
  type MessageValidation,
} from '../src/messaging/startConsumer.ts';
import { createMetrics, type KitMetrics } from '../src/observability/metrics.ts';
import { drainQueue, json, openTestChannel } from './support/messaging.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
let broker: BrokerConnection;
let test: Awaited<ReturnType<typeof openTestChannel>>;
const consumers: Consumer[] = [];

beforeAll(async () => {
  database = await createTestDatabase('kit_consumer');
  pool = createPool(database.url);
  await migrate(pool, [
    outboxMigration,
    processedEventsMigration,
    {
      id: 'test-effects',
      sql: 'CREATE TABLE effects (id serial PRIMARY KEY, event_id text NOT NULL, queue text NOT NULL)',
    },
  ]);
  broker = new BrokerConnection({ url: infra().rabbitmq.url });
  await broker.start();
  test = await openTestChannel(infra().rabbitmq.url);
});
afterAll(async () => {
  await Promise.all(consumers.map((consumer) => consumer.stop()));
  await test?.close();
  await broker?.close();
  await pool?.end();
  await database?.drop();
});

interface Notified {
  orderId: string;
}

const validateNotified = (payload: unknown): MessageValidation =>
  typeof (payload as Notified | null)?.orderId === 'string'
    ? { ok: true }
    : { ok: false, errors: ['/orderId is required'] };

/** A queue of its own, a consumer whose side effect is a row in `effects`, and its metrics. */
async function consumerFixture(
  options: { maxAttempts?: number; failures?: (message: ConsumedMessage<Notified>) => boolean } = {},
) {
  const exchange = uniqueName('kit-events');
  const queue: QueueTopology = {
    name: `${exchange}.notify`,
    bindings: ['order.*'],
    retryDelayMs: 100,
    maxAttempts: options.maxAttempts ?? 3,
  };
  await broker.addSetup(topologySetup({ exchange, queues: [queue] }));
  const metrics = createMetrics('notification', { defaultMetrics: false });
  const runs: ConsumedMessage<Notified>[] = [];
  consumers.push(
    await startConsumer<Notified>({
      pool,
      broker,
      queue,
      metrics,
      validate: validateNotified,
      handle: async (tx, message) => {
        runs.push(message);
        await tx.query('INSERT INTO effects (event_id, queue) VALUES ($1, $2)', [message.eventId, queue.name]);
        if (options.failures?.(message)) throw new Error(`handler failed on attempt ${message.attempt}`);
      },
    }),
  );
  const effects = async (eventId: string) =>
    (await pool.query('SELECT 1 FROM effects WHERE event_id = $1 AND queue = $2', [eventId, queue.name])).rowCount ?? 0;
  const publish = (content: Buffer, messageId?: string) =>
    test.channel.publish(exchange, 'order.confirmed', content, {
      persistent: true,
      ...(messageId === undefined ? {} : { messageId }),
      headers: { eventType: 'OrderConfirmed' },
    });
  return { exchange, queue, metrics, runs, effects, publish };
}

async function metricValue(metrics: KitMetrics, name: string, labels: string): Promise<number> {
  const line = (await metrics.registry.metrics()).split('\n').find((l) => l.startsWith(name) && l.includes(labels));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

describe('idempotent consumer', () => {
  it('runs the handler once for an event delivered twice', async () => {
    const { runs, effects, publish, metrics, queue } = await consumerFixture();
    const eventId = randomUUID();
    publish(json({ orderId: 'o-1' }), eventId);
    publish(json({ orderId: 'o-1' }), eventId);
    await eventually(async () => (await metricValue(metrics, 'harness_consumer_redeliveries_total', queue.name)) === 1);
    expect(await effects(eventId)).toBe(1);
    expect(runs).toHaveLength(1);
  });

  it('dead-letters poison messages at once while good messages keep flowing', async () => {
    const { runs, effects, publish, queue, metrics } = await consumerFixture();
    const good = randomUUID();
    publish(Buffer.from('{"orderId": '), randomUUID());
    publish(json({ customer: 'no order id' }), randomUUID());
    publish(json({ orderId: 'o-2' }), good);
    await eventually(async () => (await effects(good)) === 1);
    const dead = await eventually(async () => {
      const messages = await drainQueue(test.channel, deadLetterQueueOf(queue.name));
      return messages.length === 2 && messages;
    });
    expect(dead.map((m) => m.properties.headers?.['x-death-reason']).sort()).toEqual([
      'invalid_json',
      'validation_failed',
    ]);
    expect(
      dead.find((m) => m.properties.headers?.['x-death-reason'] === 'validation_failed')?.properties.headers?.[
        'x-death-detail'
      ],
    ).toContain('/orderId');
    expect(runs.map((run) => run.eventId)).toEqual([good]);
    expect(await metricValue(metrics, 'harness_consumer_dead_letters_total', 'reason="validation_failed"')).toBe(1);
  });

  it('processes a message once after the handler failed twice, through the retry queue', async () => {
    const { runs, effects, publish } = await consumerFixture({ maxAttempts: 3, failures: (m) => m.attempt < 2 });
    const eventId = randomUUID();
    publish(json({ orderId: 'o-3' }), eventId);
    await eventually(async () => (await effects(eventId)) === 1);
    await settle();
    expect(runs.map((run) => run.attempt)).toEqual([0, 1, 2]);
    expect(await effects(eventId)).toBe(1);
    const { rowCount } = await pool.query('SELECT 1 FROM processed_events WHERE event_id = $1', [eventId]);
    expect(rowCount).toBe(1);
  });

  it('dead-letters a message whose handler keeps failing after maxAttempts runs', async () => {
    const { runs, effects, publish, queue } = await consumerFixture({ maxAttempts: 3, failures: () => true });
    const eventId = randomUUID();
    publish(json({ orderId: 'o-4' }), eventId);
    const [dead] = await eventually(async () => {
      const messages = await drainQueue(test.channel, deadLetterQueueOf(queue.name));
      return messages.length > 0 && messages;
    });
    expect(dead?.properties.messageId).toBe(eventId);
    expect(dead?.properties.headers).toMatchObject({
      'x-death-reason': 'max_attempts_exceeded',
      'x-original-queue': queue.name,
    });
    await settle();
    expect(runs).toHaveLength(3);
    expect(await effects(eventId)).toBe(0);
    const { rowCount } = await pool.query('SELECT 1 FROM processed_events WHERE event_id = $1', [eventId]);
    expect(rowCount).toBe(0);
  });

  it('has the side effect exactly once when the outbox relay dies between publish and mark', async () => {
    const { exchange, effects, runs, metrics, queue } = await consumerFixture();
    const eventId = await withTransaction(pool, (tx) =>
      enqueueOutbox(tx, {
        exchange,
        routingKey: 'order.confirmed',
        messageType: 'OrderConfirmed',
        payload: { orderId: 'o-5' },
      }),
    );
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const doomedPool = createPool(database.url, { applicationName: 'relay-crashing' });
    const crashingBroker: MessagePublisher = {
      publish: async (message) => {
        await broker.publish(message);
        await admin.query(
          "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = 'relay-crashing'",
        );
      },
    };
    const doomed = startOutboxRelay({ pool: doomedPool, broker: crashingBroker, intervalMs: 3_600_000 });
    await doomed.stop(); // no scheduled runs: the test drives the one run that dies
    await expect(doomed.runOnce()).rejects.toThrow();
    await Promise.all([doomedPool.end().catch(() => undefined), admin.end()]);

    const relay = startOutboxRelay({ pool, broker, intervalMs: 20 });
    try {
      await eventually(
        async () => (await metricValue(metrics, 'harness_consumer_redeliveries_total', queue.name)) === 1,
      );
      // The relay marks the row once the broker confirmed the publish: the consumer may see the
      // duplicate before that mark commits.
      await eventually(async () => {
        const { rows } = await pool.query('SELECT published_at FROM outbox WHERE event_id = $1', [eventId]);
        return rows[0].published_at !== null;
      });
    } finally {
      await relay.stop();
    }
    expect(await effects(eventId)).toBe(1);
    expect(runs.map((run) => run.eventId)).toEqual([eventId]);
  });
});
