import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, isListening, portOf, referenceTopology, startInfra, type Infra } from '../src/index.ts';

let infra: Infra;
let runDir: string;

beforeAll(async () => {
  runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-infra-test-'));
  infra = await startInfra({ runDir, topology: { ...referenceTopology(), broker: 'rabbitmq' } });
});

afterAll(async () => {
  await infra?.stop();
  fs.rmSync(runDir, { recursive: true, force: true });
});

async function timedQuery(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const start = performance.now();
    await client.query('select 1');
    return performance.now() - start;
  } finally {
    await client.end();
  }
}

describe('local infrastructure provider', () => {
  it('creates one proxy per HTTP link and per service connection to PostgreSQL and RabbitMQ', async () => {
    const names = Object.keys(await infra.toxiproxy.client.getAll()).sort();
    expect(names).toEqual(infra.description.proxies.map((p) => p.name).sort());
    expect(names).toContain('l4-order-inventory');
    expect(names).toContain('order-postgres');
    expect(names).toContain('notification-rabbitmq');
    expect(names).not.toContain('l1-storefront-gateway-x');
  });

  it('adds measurable latency to a real PostgreSQL connection through a toxic, and removes it', async () => {
    const url = infra.description.services.order?.databaseUrl ?? '';
    const before = await timedQuery(url);
    const proxy = await infra.toxiproxy.client.get('order-postgres');
    const toxic = await proxy.addToxic({
      name: 'slow',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 300, jitter: 0 },
    });
    const during = await timedQuery(url);
    await toxic.remove();
    const after = await timedQuery(url);
    expect(during).toBeGreaterThanOrEqual(300);
    expect(during - before).toBeGreaterThanOrEqual(250);
    expect(after).toBeLessThan(250);
  });

  it('gives each service a database that other services cannot open', async () => {
    const orderUrl = new URL(infra.description.services.order?.databaseUrl ?? '');
    const paymentDb = new URL(infra.description.services.payment?.databaseUrl ?? '').pathname;
    orderUrl.pathname = paymentDb;
    await expect(timedQuery(orderUrl.toString())).rejects.toThrow(/permission denied|not permitted/i);
  });

  it('carries AMQP traffic through the broker proxy', async () => {
    const connection = await amqp.connect(infra.description.services.notification?.amqpUrl ?? '');
    const channel = await connection.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    channel.sendToQueue(queue, Buffer.from('ping'));
    const message = await new Promise<string>((resolve) => {
      void channel.consume(queue, (msg) => msg && resolve(msg.content.toString()), { noAck: true });
    });
    await connection.close();
    expect(message).toBe('ping');
  });
});

describe('traces', () => {
  it('starts Jaeger, whose query API answers on loopback (HARNESS_TRACES=off: none)', async () => {
    const jaeger = infra.description.jaeger;
    expect(jaeger?.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(jaeger?.otlpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${jaeger?.uiUrl}/api/services`)).status).toBe(200);
  });
});

describe('teardown', () => {
  it('leaves no process and no listening port behind', async () => {
    const d = infra.description;
    const pids = [
      d.postgres.pid,
      ...(d.rabbitmq ? [d.rabbitmq.pid, d.rabbitmq.epmdPid] : []),
      d.toxiproxy.pid,
      d.jaeger?.pid ?? -1,
    ];
    const ports = [
      d.postgres.port,
      ...(d.rabbitmq ? [d.rabbitmq.port] : []),
      d.toxiproxy.port,
      ...d.proxies.map((p) => portOf(p.listen)),
    ];
    for (const url of [d.jaeger?.otlpUrl, d.jaeger?.uiUrl]) if (url) ports.push(Number(new URL(url).port));
    expect(pids.every((pid) => isAlive(pid))).toBe(true);
    await infra.stop();
    expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
    const listening = await Promise.all(ports.map((port) => isListening(port)));
    expect(ports.filter((_, i) => listening[i])).toEqual([]);
  });
});
