import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Admin, Producer, stringSerializers } from '@platformatic/kafka';
import { Toxiproxy, type Proxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, LOOPBACK, startKafka, type KafkaServer } from '../src/index.ts';
import { infra, uniqueName } from '../src/testing/index.ts';

const SERVICES = ['order', 'notification'] as const;
let dir: string;
let kafka: KafkaServer;
const proxies: Record<string, Proxy> = {};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-kafka-listeners-'));
  const listen = Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await freePort()] as const)));
  kafka = await startKafka({
    dir,
    logDir: path.join(dir, 'logs'),
    clients: SERVICES.map((name) => ({ name, advertised: { host: LOOPBACK, port: listen[name]! } })),
  });
  const toxiproxy = new Toxiproxy(infra().toxiproxy.url);
  for (const service of SERVICES) {
    proxies[service] = await toxiproxy.createProxy({
      name: uniqueName(`${service}-kafka`),
      listen: `${LOOPBACK}:${listen[service]}`,
      upstream: `${LOOPBACK}:${kafka.clientListeners[service]?.port}`,
    });
  }
  const admin = new Admin({ clientId: 'listeners-test', bootstrapBrokers: [kafka.internalBootstrap] });
  await admin.createTopics({ topics: ['orders'], partitions: 1, replicas: 1 });
  await admin.close();
});
afterAll(async () => {
  await Promise.all(Object.values(proxies).map((proxy) => proxy.remove().catch(() => undefined)));
  await kafka?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function producerOf(service: string): Producer<string, string, string, string> {
  return new Producer({
    clientId: service,
    bootstrapBrokers: [kafka.clientListeners[service]!.bootstrap],
    serializers: stringSerializers,
    retries: 0,
  });
}

const delivered = (send: Promise<unknown>, ms: number) =>
  Promise.race([
    send.then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
  ]);

describe('Kafka with one client listener per service', () => {
  it('advertises each listener at its own proxy, so cutting one service off leaves the other', async () => {
    const order = producerOf('order');
    const notification = producerOf('notification');
    const send = (producer: Producer<string, string, string, string>) =>
      producer.send({ messages: [{ topic: 'orders', key: 'o-1', value: '{}' }] });
    try {
      for (const service of SERVICES) {
        const bootstrap = kafka.clientListeners[service]!.bootstrap;
        const admin = new Admin({ clientId: service, bootstrapBrokers: [bootstrap] });
        const metadata = await admin.metadata({ topics: ['orders'] }).finally(() => admin.close());
        expect([...metadata.brokers.values()].map((b) => `${b.host}:${b.port}`)).toEqual([bootstrap]);
      }
      expect(await delivered(send(order), 5_000)).toBe(true);
      expect(await delivered(send(notification), 5_000)).toBe(true);

      const proxy = proxies.notification!;
      await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
      expect(await delivered(send(notification), 3_000)).toBe(false);
      expect(await delivered(send(order), 5_000)).toBe(true);
      await proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
      expect(await delivered(send(notification), 10_000)).toBe(true);
    } finally {
      await order.close(true);
      await notification.close(true);
    }
  });
});
