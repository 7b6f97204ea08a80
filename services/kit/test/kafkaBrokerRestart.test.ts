import { randomUUID } from 'node:crypto';
import { createTestDatabase, eventually, startTestKafka, uniqueName, type TestKafka } from '@harness/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.ts';
import { createPool, type Pool } from '../src/db/pool.ts';
import { withTransaction } from '../src/db/withTransaction.ts';
import type { QueueTopology } from '../src/messaging/declareTopology.ts';
import { enqueueOutbox } from '../src/messaging/enqueueOutbox.ts';
import { declareKafkaTopology } from '../src/messaging/kafka/declareKafkaTopology.ts';
import { KafkaPublisher } from '../src/messaging/kafka/KafkaPublisher.ts';
import { startKafkaConsumer } from '../src/messaging/kafka/startKafkaConsumer.ts';
import { outboxMigration, processedEventsMigration } from '../src/messaging/messagingMigrations.ts';
import { startOutboxRelay } from '../src/messaging/outboxRelay.ts';
import { createMetrics } from '../src/observability/metrics.ts';

// A Kafka node of this file's own: the test stops and restarts it.
let kafka: TestKafka;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;

beforeAll(async () => {
  kafka = await startTestKafka('kit-restart');
  database = await createTestDatabase('kit_kafka_restart');
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

async function count(sql: string, values: unknown[] = []): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(sql, values);
  return rows[0]?.n ?? 0;
}

describe('Kafka stopped and restarted', () => {
  it('the outbox holds the events meanwhile, and the consumer handles every one once the broker is back', async () => {
    const exchange = uniqueName('orders');
    const queue: QueueTopology = {
      name: `${exchange}.notify`,
      bindings: ['order.*'],
      retryDelayMs: 200,
      maxAttempts: 3,
    };
    await declareKafkaTopology({ exchange, queues: [queue] }, { bootstrap: [kafka.bootstrap] });
    const metrics = createMetrics('notification', { defaultMetrics: false });
    const publisher = new KafkaPublisher({ bootstrap: [kafka.bootstrap], sendTimeoutMs: 1_000 });
    const relay = startOutboxRelay({ pool, broker: publisher, intervalMs: 100 });
    const consumer = await startKafkaConsumer<{ orderId: string }>({
      pool,
      bootstrap: [kafka.bootstrap],
      topic: exchange,
      queue,
      metrics,
      validate: () => ({ ok: true }),
      effect: (message) => ({
        text: 'INSERT INTO effects (event_id, queue) SELECT $1, $2 FROM recorded',
        values: [message.eventId, queue.name],
      }),
    });
    const enqueue = () =>
      withTransaction(pool, (tx) =>
        enqueueOutbox(tx, {
          exchange,
          routingKey: 'order.confirmed',
          messageType: 'OrderConfirmed',
          payload: { orderId: randomUUID() },
        }),
      );
    const effects = () => count('SELECT count(*)::int AS n FROM effects WHERE queue = $1', [queue.name]);
    try {
      const before = await enqueue();
      await eventually(async () => (await effects()) === 1, 20_000);

      await kafka.kafka.stopNode();
      const during = [await enqueue(), await enqueue(), await enqueue()];
      // The relay tries, fails and keeps the rows: nothing is marked published without an ack.
      await eventually(
        async () =>
          (await count(
            'SELECT count(*)::int AS n FROM outbox WHERE event_id = ANY($1::uuid[]) AND published_at IS NULL AND attempts > 0',
            [during],
          )) === during.length,
        20_000,
      );

      await kafka.kafka.startNode();
      await eventually(async () => (await effects()) === 4, 60_000);
      expect(await count('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')).toBe(0);
      const { rows } = await pool.query<{ event_id: string }>('SELECT event_id FROM effects WHERE queue = $1', [
        queue.name,
      ]);
      expect(rows.map((row) => row.event_id).sort()).toEqual([before, ...during].sort());
    } finally {
      await relay.stop();
      await consumer.stop();
      await publisher.close();
    }
  });
});
