import { randomUUID } from 'node:crypto';
import {
  createTestDatabase,
  eventually,
  infra,
  startTestKafka,
  uniqueName,
  type TestKafka,
} from '@harness/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.ts';
import { createPool, type Pool } from '../src/db/pool.ts';
import { withTransaction } from '../src/db/withTransaction.ts';
import type { QueueTopology } from '../src/messaging/declareTopology.ts';
import { enqueueOutbox } from '../src/messaging/enqueueOutbox.ts';
import { kafkaBus } from '../src/messaging/kafka/kafkaBus.ts';
import { rabbitMqBus, type MessageBus } from '../src/messaging/MessageBus.ts';
import { outboxMigration, processedEventsMigration } from '../src/messaging/messagingMigrations.ts';
import { startOutboxRelay } from '../src/messaging/outboxRelay.ts';
import type { MessageValidation } from '../src/messaging/startConsumer.ts';
import { createMetrics } from '../src/observability/metrics.ts';

let kafka: TestKafka;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;

beforeAll(async () => {
  kafka = await startTestKafka('kit-bus');
  database = await createTestDatabase('kit_bus');
  pool = createPool(database.url);
  await migrate(pool, [
    outboxMigration,
    processedEventsMigration,
    { id: 'test-effects', sql: 'CREATE TABLE effects (event_id text NOT NULL, queue text NOT NULL)' },
  ]);
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
  await kafka?.stop();
});

const validate = (payload: unknown): MessageValidation =>
  typeof (payload as { orderId?: unknown } | null)?.orderId === 'string'
    ? { ok: true }
    : { ok: false, errors: ['payload/orderId must be a string'] };

async function effectsOf(queue: string): Promise<string[]> {
  const { rows } = await pool.query<{ event_id: string }>('SELECT event_id FROM effects WHERE queue = $1', [queue]);
  return rows.map((row) => row.event_id).sort();
}

const buses: Record<string, () => MessageBus> = {
  rabbitmq: () => rabbitMqBus({ url: infra().rabbitmq.url }),
  kafka: () => kafkaBus({ bootstrap: [kafka.bootstrap] }),
};

describe.each(Object.keys(buses))('the message bus on %s', (kind) => {
  it('carries outbox events to an idempotent consumer, and dead-letters an invalid one', async () => {
    const bus = buses[kind]!();
    const exchange = uniqueName('bus-orders');
    const queue: QueueTopology = {
      name: `${exchange}.notify`,
      bindings: ['order.*'],
      retryDelayMs: 200,
      maxAttempts: 2,
    };
    const metrics = createMetrics('notification', { defaultMetrics: false });
    await bus.declare({ exchange, queues: [queue] });
    const consumer = await bus.consume<{ orderId: string }>({
      pool,
      exchange,
      queue,
      metrics,
      validate,
      effect: (message) => ({
        text: 'INSERT INTO effects (event_id, queue) SELECT $1, $2 FROM recorded',
        values: [message.eventId, queue.name],
      }),
    });
    void bus.start();
    const relay = startOutboxRelay({ pool, broker: bus, intervalMs: 50 });
    try {
      await eventually(() => bus.isConnected(), 20_000);
      expect(bus.kind).toBe(kind);
      const enqueue = (payload: unknown) =>
        withTransaction(pool, (tx) =>
          enqueueOutbox(tx, { exchange, routingKey: 'order.confirmed', messageType: 'OrderConfirmed', payload }),
        );
      const valid = [await enqueue({ orderId: randomUUID() }), await enqueue({ orderId: randomUUID() })];
      await enqueue({ orderId: 7 });
      await eventually(async () => (await effectsOf(queue.name)).length === 2, 20_000);
      await eventually(async () => (await metrics.consumerDeadLetters.get()).values.length > 0, 20_000);
      expect(await effectsOf(queue.name)).toEqual([...valid].sort());
      const dead = (await metrics.consumerDeadLetters.get()).values;
      expect(dead).toEqual([
        expect.objectContaining({ labels: { queue: queue.name, reason: 'validation_failed' }, value: 1 }),
      ]);
    } finally {
      await relay.stop();
      await consumer.stop();
      await bus.close();
    }
  });
});

describe.each(Object.keys(buses))('the backlog of a queue on %s', (kind) => {
  it('counts the events waiting for the queue, and is 0 once its consumer has handled them', async () => {
    const bus = buses[kind]!();
    const exchange = uniqueName('bus-backlog');
    const queue: QueueTopology = {
      name: `${exchange}.history`,
      bindings: ['order.*'],
      retryDelayMs: 200,
      maxAttempts: 2,
    };
    await bus.declare({ exchange, queues: [queue] });
    void bus.start();
    let consumer: { stop(): Promise<void> } | undefined;
    try {
      await eventually(() => bus.isConnected(), 20_000);
      for (const orderId of ['o-1', 'o-2', 'o-3'])
        await bus.publish({
          exchange,
          routingKey: 'order.confirmed',
          key: orderId,
          content: Buffer.from(JSON.stringify({ eventId: randomUUID(), orderId })),
        });
      // A backlog that cannot be read is not known yet (a topic just made may have no leader yet).
      const backlog = () => bus.backlog(queue.name).catch(() => undefined);
      await eventually(async () => (await backlog()) === 3, 20_000);
      consumer = await bus.consume<{ orderId: string }>({
        pool,
        exchange,
        queue,
        validate,
        effect: (message) => ({
          text: 'INSERT INTO effects (event_id, queue) SELECT $1, $2 FROM recorded',
          values: [message.eventId, queue.name],
        }),
      });
      await eventually(async () => (await effectsOf(queue.name)).length === 3, 20_000);
      await eventually(async () => (await backlog()) === 0, 20_000);
    } finally {
      await consumer?.stop();
      await bus.close();
    }
  });
});

describe('the message bus on Kafka, started before the broker can be reached', () => {
  it('declares its topics and starts its consumers once the broker answers', async () => {
    const { listen, upstream } = kafka.proxy;
    await kafka.proxy.update({ enabled: false, listen, upstream });
    const bus = kafkaBus({ bootstrap: [kafka.bootstrap], reconnect: { initialDelayMs: 100, maxDelayMs: 500 } });
    const exchange = uniqueName('bus-late');
    const queue: QueueTopology = { name: `${exchange}.notify`, bindings: ['#'], retryDelayMs: 200, maxAttempts: 2 };
    try {
      await bus.declare({ exchange, queues: [queue] });
      const consumer = await bus.consume<{ orderId: string }>({
        pool,
        exchange,
        queue,
        validate,
        effect: (message) => ({
          text: 'INSERT INTO effects (event_id, queue) SELECT $1, $2 FROM recorded',
          values: [message.eventId, queue.name],
        }),
      });
      void bus.start();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(bus.isConnected()).toBe(false);
      await kafka.proxy.update({ enabled: true, listen, upstream });
      await eventually(() => bus.isConnected(), 20_000);
      const eventId = randomUUID();
      await bus.publish({
        exchange,
        routingKey: 'order.cancelled',
        key: 'o-1',
        content: Buffer.from(JSON.stringify({ eventId, orderId: 'o-1' })),
      });
      await eventually(async () => (await effectsOf(queue.name)).includes(eventId), 20_000);
      await consumer.stop();
    } finally {
      await kafka.proxy.update({ enabled: true, listen, upstream });
      await bus.close();
    }
  });
});
