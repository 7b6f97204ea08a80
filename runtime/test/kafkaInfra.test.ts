import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Admin } from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRunSecrets, referenceTopology, serviceEnvironments, startInfra, type Infra } from '../src/index.ts';

let runDir: string;
let infra: Infra;
const topology = { ...referenceTopology(), broker: 'kafka' as const };

beforeAll(async () => {
  runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-kafka-infra-'));
  infra = await startInfra({ runDir, topology, traces: false });
});
afterAll(async () => {
  await infra?.stop();
  fs.rmSync(runDir, { recursive: true, force: true });
});

describe('the local provider on Kafka', () => {
  it('starts Kafka instead of RabbitMQ, with one proxy per broker client in front of its own listener', () => {
    const d = infra.description;
    expect(d.rabbitmq).toBeUndefined();
    expect(d.kafka?.internalBootstrap).toMatch(/^127\.0\.0\.1:\d+$/);
    const brokerClients = topology.services.filter((service) => service.broker).map((service) => service.name);
    const kafkaProxies = d.proxies.filter((proxy) => proxy.kind === 'kafka');
    expect(kafkaProxies.map((proxy) => proxy.from).sort()).toEqual([...brokerClients].sort());
    for (const proxy of kafkaProxies) {
      expect(proxy.name).toBe(`${proxy.from}-kafka`);
      expect(infra.kafka?.clientListeners[proxy.from]?.bootstrap).toBe(proxy.listen);
      expect(proxy.upstream).toBe(`127.0.0.1:${infra.kafka?.clientListeners[proxy.from]?.port}`);
    }
  });

  it('hands each broker client BROKER=kafka and KAFKA_BROKERS at its own proxy, and no AMQP_URL', () => {
    const envs = serviceEnvironments(topology, infra.description, newRunSecrets());
    for (const proxy of infra.description.proxies.filter((candidate) => candidate.kind === 'kafka')) {
      expect(envs[proxy.from]).toMatchObject({ BROKER: 'kafka', KAFKA_BROKERS: proxy.listen });
      expect(envs[proxy.from]?.AMQP_URL).toBeUndefined();
    }
  });

  it('a client bootstrapping through a service proxy is told to stay on that proxy', async () => {
    const proxy = infra.description.proxies.find(
      (candidate) => candidate.kind === 'kafka' && candidate.from === 'order',
    );
    const admin = new Admin({ clientId: 'kafka-infra-test', bootstrapBrokers: [proxy?.listen ?? ''] });
    try {
      const metadata = await admin.metadata({ topics: [] });
      expect([...metadata.brokers.values()].map((broker) => `${broker.host}:${broker.port}`)).toEqual([proxy?.listen]);
    } finally {
      await admin.close();
    }
  });
});
