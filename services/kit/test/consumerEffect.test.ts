import { randomUUID } from 'node:crypto';
import { createTestDatabase, eventually, infra, uniqueName } from '@harness/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.ts';
import { createPool, type Pool } from '../src/db/pool.ts';
import { BrokerConnection } from '../src/messaging/BrokerConnection.ts';
import { deadLetterQueueOf, topologySetup, type QueueTopology } from '../src/messaging/declareTopology.ts';
import { processedEventsMigration } from '../src/messaging/messagingMigrations.ts';
import { startConsumer, type Consumer } from '../src/messaging/startConsumer.ts';
import { createMetrics } from '../src/observability/metrics.ts';
import { drainQueue, json, openTestChannel } from './support/messaging.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
let broker: BrokerConnection;
let test: Awaited<ReturnType<typeof openTestChannel>>;
const consumers: Consumer[] = [];

beforeAll(async () => {
  database = await createTestDatabase('kit_consumer_effect');
  pool = createPool(database.url);
  await migrate(pool, [
    processedEventsMigration,
    {
      id: 'test-effects',
      // A quantity below zero fails the statement: a real failure of the side effect.
      sql: 'CREATE TABLE effects (event_id text PRIMARY KEY, order_id text NOT NULL, quantity int NOT NULL CHECK (quantity >= 0))',
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

interface Ordered {
  orderId: string;
  quantity: number;
}

async function effectConsumer(maxAttempts = 2) {
  const exchange = uniqueName('kit-effects');
  const queue: QueueTopology = { name: `${exchange}.q`, bindings: ['#'], retryDelayMs: 50, maxAttempts };
  await broker.addSetup(topologySetup({ exchange, queues: [queue] }));
  const metrics = createMetrics('effects', { defaultMetrics: false });
  consumers.push(
    await startConsumer<Ordered>({
      pool,
      broker,
      queue,
      metrics,
      validate: () => ({ ok: true }),
      effect: (message) => ({
        name: 'record-effect',
        text: 'INSERT INTO effects (event_id, order_id, quantity) SELECT $1, $2, $3 FROM recorded',
        values: [message.eventId, message.payload.orderId, message.payload.quantity],
      }),
    }),
  );
  const publish = (payload: Ordered, eventId: string) =>
    test.channel.publish(exchange, 'order.confirmed', json(payload), { persistent: true, messageId: eventId });
  const rows = async (eventId: string) =>
    (await pool.query('SELECT order_id FROM effects WHERE event_id = $1', [eventId])).rows;
  return { queue, metrics, publish, rows };
}

describe('idempotent consumer with a one-statement effect', () => {
  it('applies the effect once for an event delivered twice', async () => {
    const { publish, rows, metrics, queue } = await effectConsumer();
    const eventId = randomUUID();
    publish({ orderId: 'o-1', quantity: 1 }, eventId);
    publish({ orderId: 'o-1', quantity: 1 }, eventId);
    await eventually(async () =>
      (await metrics.registry.metrics()).includes(
        `harness_consumer_redeliveries_total{queue="${queue.name}",service="effects"} 1`,
      ),
    );
    expect(await rows(eventId)).toEqual([{ order_id: 'o-1' }]);
  });

  it('retries a failing effect, then dead-letters it without recording the event', async () => {
    const { publish, rows, queue } = await effectConsumer(2);
    const eventId = randomUUID();
    publish({ orderId: 'o-2', quantity: -1 }, eventId);
    const [dead] = await eventually(async () => {
      const messages = await drainQueue(test.channel, deadLetterQueueOf(queue.name));
      return messages.length > 0 && messages;
    });
    expect(dead?.properties.headers).toMatchObject({ 'x-death-reason': 'max_attempts_exceeded' });
    expect(await rows(eventId)).toEqual([]);
    const { rowCount } = await pool.query('SELECT 1 FROM processed_events WHERE event_id = $1', [eventId]);
    expect(rowCount).toBe(0);
  });

  it('refuses options with neither or both of handle and effect', async () => {
    const queue: QueueTopology = { name: uniqueName('kit-none'), bindings: [], retryDelayMs: 50, maxAttempts: 1 };
    await expect(startConsumer({ pool, broker, queue, validate: () => ({ ok: true }) })).rejects.toThrow(
      /either handle or effect/,
    );
  });
});
