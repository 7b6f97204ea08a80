import { randomUUID } from 'node:crypto';
import { createTestDatabase, eventually, infra, uniqueName } from '@harness/runtime/testing';
import { Toxiproxy, type Proxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.ts';
import { createPool, type Pool } from '../src/db/pool.ts';
import { brokerCheck } from '../src/health/healthChecks.ts';
import { BrokerConnection, BrokerUnavailableError } from '../src/messaging/BrokerConnection.ts';
import { topologySetup, type QueueTopology } from '../src/messaging/declareTopology.ts';
import { processedEventsMigration } from '../src/messaging/messagingMigrations.ts';
import { startConsumer, type Consumer } from '../src/messaging/startConsumer.ts';
import { json, openTestChannel } from './support/messaging.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
let proxy: Proxy;
let test: Awaited<ReturnType<typeof openTestChannel>>;

beforeAll(async () => {
  database = await createTestDatabase('kit_reconnect');
  pool = createPool(database.url);
  await migrate(pool, [processedEventsMigration]);
  const toxiproxy = new Toxiproxy(infra().toxiproxy.url);
  proxy = await toxiproxy.createProxy({
    name: uniqueName('kit-rabbitmq'),
    listen: '127.0.0.1:0',
    upstream: `127.0.0.1:${infra().rabbitmq.port}`,
  });
  test = await openTestChannel(infra().rabbitmq.url);
});
afterAll(async () => {
  await test?.close();
  await proxy?.remove();
  await pool?.end();
  await database?.drop();
});

/** The broker URL with its host and port replaced by the proxy's. */
function throughProxy(url: string, listen: string): string {
  const proxied = new URL(url);
  proxied.host = listen;
  return proxied.toString();
}

describe('BrokerConnection', () => {
  it('reconnects after the connection is cut, redeclares topology and resumes consuming', async () => {
    const exchange = uniqueName('kit-reconnect');
    const queue: QueueTopology = { name: `${exchange}.q`, bindings: ['#'], retryDelayMs: 100, maxAttempts: 3 };
    const broker = new BrokerConnection({
      url: throughProxy(infra().rabbitmq.url, proxy.listen),
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
    });
    const ready = brokerCheck(broker);
    await broker.start();
    await broker.addSetup(topologySetup({ exchange, queues: [queue] }));
    const handled: string[] = [];
    let consumer: Consumer | undefined;
    try {
      consumer = await startConsumer({
        pool,
        broker,
        queue,
        validate: () => ({ ok: true }),
        handle: async (_tx, message) => void handled.push(message.eventId),
      });
      const before = randomUUID();
      test.channel.publish(exchange, 'x', json({ n: 1 }), { messageId: before });
      await eventually(() => handled.includes(before));

      await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
      await eventually(() => !broker.isConnected());
      await expect(ready()).rejects.toThrow('not connected');
      await expect(broker.publish({ exchange, routingKey: 'x', content: json({}) })).rejects.toBeInstanceOf(
        BrokerUnavailableError,
      );
      // Deleted while the service is away: the reconnection must declare it again.
      await test.channel.deleteQueue(queue.name);
      await test.channel.assertQueue(queue.name, {
        durable: true,
        arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': `${queue.name}.dlq` },
      });
      const during = randomUUID();

      await proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
      await eventually(() => broker.isConnected(), 15_000);
      await expect(ready()).resolves.toBeUndefined();
      test.channel.publish(exchange, 'x', json({ n: 2 }), { messageId: during });
      await eventually(() => handled.includes(during), 15_000);

      const afterwards = randomUUID();
      await broker.publish({ exchange, routingKey: 'x', content: json({ n: 3 }), options: { messageId: afterwards } });
      await eventually(() => handled.includes(afterwards));
      expect(handled).toEqual([before, during, afterwards]);
    } finally {
      await consumer?.stop();
      await broker.close();
    }
  });

  it('keeps trying to connect until the broker is reachable', async () => {
    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    const broker = new BrokerConnection({
      url: throughProxy(infra().rabbitmq.url, proxy.listen),
      reconnect: { initialDelayMs: 50, maxDelayMs: 100 },
    });
    try {
      const started = broker.start();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(broker.isConnected()).toBe(false);
      await proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
      await started;
      expect(broker.isConnected()).toBe(true);
    } finally {
      await broker.close();
    }
  });
});
