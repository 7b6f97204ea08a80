import { randomUUID } from 'node:crypto';
import { createTestDatabase, eventually, startTestKafka, uniqueName, type TestKafka } from '@harness/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.ts';
import { createPool, type Pool } from '../src/db/pool.ts';
import { withTransaction } from '../src/db/withTransaction.ts';
import type { MessagePublisher } from '../src/messaging/BrokerConnection.ts';
import { enqueueOutbox } from '../src/messaging/enqueueOutbox.ts';
import { declareKafkaTopology } from '../src/messaging/kafka/declareKafkaTopology.ts';
import { KafkaPublisher } from '../src/messaging/kafka/KafkaPublisher.ts';
import { outboxMigration } from '../src/messaging/messagingMigrations.ts';
import { startOutboxRelay } from '../src/messaging/outboxRelay.ts';
import { inSpan, SpanKind } from '../src/observability/tracing.ts';
import { readTopic } from './support/kafka.ts';

let kafka: TestKafka;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;

beforeAll(async () => {
  kafka = await startTestKafka('kit-outbox');
  database = await createTestDatabase('kit_kafka_outbox');
  pool = createPool(database.url);
  await migrate(pool, [outboxMigration]);
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
  await kafka?.stop();
});

async function eventsTopic(): Promise<string> {
  const topic = uniqueName('orders');
  await declareKafkaTopology({ exchange: topic, queues: [] }, { bootstrap: [kafka.bootstrap] });
  return topic;
}

async function pendingRows(): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
  return rows[0]?.n ?? 0;
}

/** Each publish waits a little first, so a relay can be stopped while rows are still pending. */
function slowed(publisher: MessagePublisher, ms: number): MessagePublisher {
  return {
    publish: async (request) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return publisher.publish(request);
    },
  };
}

describe('outbox relay on Kafka', () => {
  it('publishes each row once, keyed by order and in order, with its ids and traceparent, across a relay restart', async () => {
    const topic = await eventsTopic();
    const orders = [randomUUID(), randomUUID(), randomUUID()];
    const enqueued: string[] = [];
    // One transaction per event, as the services do: rows of one transaction share created_at, so
    // the relay's order among them is not the order they were added in.
    await inSpan('place orders', { kind: SpanKind.SERVER }, async () => {
      for (let seq = 0; seq < 10; seq++) {
        for (const orderId of orders) {
          const event = {
            exchange: topic,
            routingKey: 'order.confirmed',
            messageType: 'OrderConfirmed',
            payload: { orderId, seq },
            headers: { schemaVersion: 1 },
          };
          enqueued.push(await withTransaction(pool, (tx) => enqueueOutbox(tx, event)));
        }
      }
    });

    const first = new KafkaPublisher({ bootstrap: [kafka.bootstrap] });
    const relay = startOutboxRelay({ pool, broker: slowed(first, 100), batchSize: 4, intervalMs: 20 });
    await eventually(async () => (await pendingRows()) <= 22, 20_000);
    await relay.stop();
    await first.close();
    const pendingAtRestart = await pendingRows();
    expect(pendingAtRestart).toBeGreaterThan(0);

    // A new relay with a new producer (a new producer id) picks up where the first one stopped.
    const second = new KafkaPublisher({ bootstrap: [kafka.bootstrap] });
    const restarted = startOutboxRelay({ pool, broker: second, batchSize: 4, intervalMs: 20 });
    try {
      await eventually(async () => (await pendingRows()) === 0, 20_000);
    } finally {
      await restarted.stop();
      await second.close();
    }

    const messages = await readTopic(kafka.bootstrap, topic, 30);
    expect(messages.map((m) => m.headers.eventId).sort()).toEqual([...enqueued].sort());
    for (const orderId of orders) {
      const ofOrder = messages.filter((m) => m.key === orderId);
      expect(ofOrder.map((m) => (JSON.parse(m.value) as { seq: number }).seq)).toEqual([...Array(10).keys()]);
      expect(new Set(ofOrder.map((m) => m.partition)).size).toBe(1);
    }
    const headers = messages[0]?.headers;
    expect(headers).toMatchObject({
      eventType: 'OrderConfirmed',
      'x-routing-key': 'order.confirmed',
      schemaVersion: '1',
      'content-type': 'application/json',
    });
    expect(headers?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('keeps a row pending while Kafka cannot be reached, and publishes it once the link is back', async () => {
    const topic = await eventsTopic();
    const { listen, upstream } = kafka.proxy;
    const publisher = new KafkaPublisher({ bootstrap: [kafka.bootstrap], sendTimeoutMs: 1_000 });
    // Connected before the link goes, so the failure is the link's, not a first connection's.
    await publisher.publish({ exchange: topic, routingKey: 'warm.up', content: Buffer.from('{}') });
    await kafka.proxy.update({ enabled: false, listen, upstream });
    const relay = startOutboxRelay({ pool, broker: publisher, intervalMs: 100 });
    try {
      const eventId = await withTransaction(pool, (tx) =>
        enqueueOutbox(tx, {
          exchange: topic,
          routingKey: 'order.cancelled',
          messageType: 'OrderCancelled',
          payload: { orderId: randomUUID() },
        }),
      );
      const failed = await eventually(async () => {
        const { rows } = await pool.query<{ attempts: number; last_error: string | null; published_at: Date | null }>(
          'SELECT attempts, last_error, published_at FROM outbox WHERE event_id = $1',
          [eventId],
        );
        return rows[0] !== undefined && rows[0].attempts >= 1 && rows[0];
      }, 15_000);
      expect(failed.published_at).toBeNull();
      expect(failed.last_error).toMatch(/kafka publish failed|no acknowledgement from Kafka/);
      await kafka.proxy.update({ enabled: true, listen, upstream });
      await eventually(async () => (await pendingRows()) === 0, 30_000);
      const messages = await readTopic(kafka.bootstrap, topic, 2);
      // At least once: a send that timed out may still have landed once the link came back.
      expect(messages.filter((m) => m.headers.eventId === eventId).length).toBeGreaterThanOrEqual(1);
    } finally {
      await kafka.proxy.update({ enabled: true, listen, upstream });
      await relay.stop();
      await publisher.close();
    }
  });

  it('fails a publish to a topic that was never declared (no auto-creation)', async () => {
    const publisher = new KafkaPublisher({ bootstrap: [kafka.bootstrap], sendTimeoutMs: 3_000 });
    const topic = uniqueName('undeclared');
    try {
      await expect(
        publisher.publish({ exchange: topic, routingKey: 'order.confirmed', content: Buffer.from('{}') }),
      ).rejects.toThrow();
    } finally {
      await publisher.close();
    }
  });
});
