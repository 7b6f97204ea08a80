import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { Admin, Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../src/index.ts';
import { startTestKafka, type TestKafka } from '../src/testing/index.ts';

let test: TestKafka;
let startupMs = 0;

beforeAll(async () => {
  const started = performance.now();
  // No skip when the jars are missing: startKafka fails saying to run `npm run setup`.
  test = await startTestKafka('runtime');
  startupMs = performance.now() - started;
});
afterAll(async () => {
  await test?.stop();
});

const TOPIC = 'runtime-kafka-test';

function producer(): Producer<string, string, string, string> {
  return new Producer({
    clientId: 'runtime-test-producer',
    bootstrapBrokers: [test.bootstrap],
    serializers: stringSerializers,
    idempotent: true,
    retries: 0,
    timeout: 1_500,
  });
}

async function consumeOne(): Promise<{ key: string; value: string; traceparent: string | undefined }> {
  const consumer = new Consumer({
    clientId: 'runtime-test-consumer',
    groupId: 'runtime-test',
    bootstrapBrokers: [test.bootstrap],
    deserializers: stringDeserializers,
  });
  try {
    const stream = await consumer.consume({ topics: [TOPIC], mode: 'earliest', autocommit: false });
    for await (const message of stream) {
      return { key: message.key, value: message.value, traceparent: message.headers.get('traceparent') };
    }
    throw new Error('the stream ended without a message');
  } finally {
    await consumer.close(true);
  }
}

/**
 * What became of a send within `ms`: the client neither fails nor delivers while the proxy drops
 * its connections (it waits to reconnect), so "not delivered in time" is the observable cut.
 */
function outcomeWithin(send: Promise<unknown>, ms: number): Promise<'delivered' | 'failed' | 'stalled'> {
  return Promise.race([
    send.then(
      () => 'delivered' as const,
      () => 'failed' as const,
    ),
    new Promise<'stalled'>((resolve) => setTimeout(() => resolve('stalled'), ms)),
  ]);
}

/** The JVMs whose command line names this test's broker config (to prove none outlives stop()). */
function javaProcessesOf(configDir: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes('java') && line.includes(configDir));
}

describe('Kafka in KRaft mode behind a Toxiproxy proxy', () => {
  it('starts one node with a capped heap', () => {
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${test.kafka.process.pid}/status`, 'utf8'))?.[1]);
    console.info(`kafka ready in ${Math.round(startupMs)} ms, RSS ${Math.round(rssKb / 1024)} MiB`);
    expect(rssKb / 1024).toBeLessThan(512);
    expect(test.kafka.process.child.spawnargs).toContain('-Xmx256m');
  });

  it('advertises the proxy, so clients that bootstrap through it stay on it', async () => {
    const admin = new Admin({ clientId: 'runtime-test-admin', bootstrapBrokers: [test.bootstrap] });
    try {
      await admin.createTopics({ topics: [TOPIC], partitions: 3, replicas: 1 });
      const metadata = await admin.metadata({ topics: [TOPIC] });
      expect([...metadata.brokers.values()].map((b) => `${b.host}:${b.port}`)).toEqual([test.bootstrap]);
      expect(test.bootstrap).not.toBe(`${test.kafka.host}:${test.kafka.port}`);
      expect(metadata.topics.get(TOPIC)?.partitionsCount).toBe(3);
    } finally {
      await admin.close();
    }
  });

  it('produces and consumes a message through the proxy', async () => {
    const client = producer();
    try {
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      const result = await client.send({
        messages: [{ topic: TOPIC, key: 'order-1', value: '{"orderId":"order-1"}', headers: { traceparent } }],
      });
      expect(result.offsets?.[0]?.offset).toBe(0n);
      expect(await consumeOne()).toEqual({ key: 'order-1', value: '{"orderId":"order-1"}', traceparent });
    } finally {
      await client.close();
    }
  });

  it('loses the broker when the proxy is disabled, and gets it back when it is enabled again', async () => {
    const client = producer();
    const send = () => client.send({ messages: [{ topic: TOPIC, key: 'k', value: 'v' }] });
    const { listen, upstream } = test.proxy;
    try {
      await send(); // connected to the advertised address: the proxy
      await test.proxy.update({ enabled: false, listen, upstream });
      expect(await outcomeWithin(send(), 3_000)).not.toBe('delivered');
      await test.proxy.update({ enabled: true, listen, upstream });
      await expect(send()).resolves.toMatchObject({ offsets: [expect.objectContaining({ topic: TOPIC })] });
    } finally {
      await test.proxy.update({ enabled: true, listen, upstream });
      await client.close(true);
    }
  });

  it('cuts a connected client off with a reset_peer toxic on the proxy', async () => {
    const client = producer();
    const send = () => client.send({ messages: [{ topic: TOPIC, key: 'k', value: 'v' }] });
    try {
      await send();
      const toxic = await test.proxy.addToxic({
        name: 'reset',
        type: 'reset_peer',
        stream: 'downstream',
        toxicity: 1,
        attributes: { timeout: 0 },
      });
      expect(await outcomeWithin(send(), 3_000)).not.toBe('delivered');
      await toxic.remove();
      await expect(send()).resolves.toBeDefined();
    } finally {
      await client.close(true);
    }
  });

  it('leaves no java process behind when stopped', async () => {
    const pid = test.kafka.process.pid;
    const configDir = test.kafka.process.child.spawnargs.at(-1) ?? '';
    expect(javaProcessesOf(configDir)).toHaveLength(1);
    await test.stop();
    expect(isAlive(pid)).toBe(false);
    expect(javaProcessesOf(configDir)).toEqual([]);
  });
});
