import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { Admin } from '@platformatic/kafka';
import amqp from 'amqplib';
import pg from 'pg';
import { GenericContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { produceToKafka, readKafkaTopic, referenceTopology } from '../src/index.ts';
import {
  cleanupStaleContainers,
  containerEngine,
  containerImages,
  startContainerInfra,
  type ContainerInfra,
} from '../src/containers/index.ts';
import { assertImagesAvailable } from '../src/containers/engine.ts';
import { OWNER_LABEL, PROVIDER_LABEL, RUN_LABEL } from '../src/containers/labels.ts';
import { listContainers } from '../src/containers/removeContainers.ts';

// Runs in the containers CI stage (ci/containers/stage.sh sets HARNESS_PROVIDER=containers after
// setting up the engine and the images); the root vitest config leaves this file out otherwise.
if (process.env.HARNESS_PROVIDER !== 'containers') {
  throw new Error('the containers provider tests need HARNESS_PROVIDER=containers: run bash ci/containers/stage.sh');
}

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

describe('containers infrastructure provider', () => {
  let infra: ContainerInfra;
  let runDir: string;

  beforeAll(async () => {
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-containers-test-'));
    infra = await startContainerInfra({ runDir, topology: referenceTopology() });
  });

  afterAll(async () => {
    await infra?.stop();
    if (runDir) fs.rmSync(runDir, { recursive: true, force: true });
  });

  it('describes the same proxies and services as the local provider, with container ids instead of pids', async () => {
    const names = Object.keys(await infra.toxiproxy.client.getAll()).sort();
    expect(names).toEqual(infra.description.proxies.map((p) => p.name).sort());
    expect(names).toContain('l4-order-inventory');
    expect(names).toContain('order-postgres');
    expect(names).toContain('notification-rabbitmq');
    expect(infra.description.postgres.pid).toBe(-1);
    expect(Object.values(infra.description.containers).every((id) => /^[0-9a-f]{64}$/.test(id))).toBe(true);
    expect(infra.description.services.storefront?.databaseUrl).toBeUndefined();
  });

  it('publishes PostgreSQL and RabbitMQ on loopback only and runs Toxiproxy on the host network', async () => {
    const client = await containerEngine();
    const { postgres, rabbitmq, toxiproxy } = infra.description.containers;
    for (const id of [postgres, rabbitmq ?? '']) {
      const inspect = await client.container.inspect(client.container.getById(id));
      const hostIps = Object.values(inspect.NetworkSettings.Ports ?? {}).flatMap((bindings) =>
        (bindings ?? []).map((binding) => binding.HostIp),
      );
      expect(hostIps.length).toBeGreaterThan(0);
      expect(new Set(hostIps)).toEqual(new Set(['127.0.0.1']));
    }
    const toxi = await client.container.inspect(client.container.getById(toxiproxy));
    expect(toxi.HostConfig.NetworkMode).toBe('host');
    expect(infra.description.proxies.every((p) => p.listen.startsWith('127.0.0.1:'))).toBe(true);
  });

  it('adds measurable latency to a PostgreSQL query through a proxy, and removes it', async () => {
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
    orderUrl.pathname = new URL(infra.description.services.payment?.databaseUrl ?? '').pathname;
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

  it('removes every container of the run on stop, and with them its proxies', async () => {
    const client = await containerEngine();
    const d = infra.description;
    const label = `${RUN_LABEL}=${d.runId}`;
    expect((await listContainers(client, [label])).length).toBe(3);
    await infra.stop();
    expect(await listContainers(client, [label])).toEqual([]);
    // Other runs on this machine may take a freed port at once, so a port that answers again is no
    // proof of a leak; the run's own proxies (their listen addresses) answering would be.
    const ours = new Set(d.proxies.map((p) => p.listen));
    const answering = await fetch(`${d.toxiproxy.url}/proxies`)
      .then(async (response) => Object.values((await response.json()) as Record<string, { listen: string }>))
      .catch(() => []);
    expect(answering.filter((proxy) => ours.has(proxy.listen))).toEqual([]);
  });
});

/** The hosts' IPs a container's ports are published on. */
async function publishedOn(id: string): Promise<string[]> {
  const client = await containerEngine();
  const inspect = await client.container.inspect(client.container.getById(id));
  return Object.values(inspect.NetworkSettings.Ports ?? {}).flatMap((bindings) =>
    (bindings ?? []).map((binding) => binding.HostIp),
  );
}

/** Whether a broker answers a metadata request at `bootstrap` within 2 s, naming itself at that address. */
async function kafkaAnswers(bootstrap: string): Promise<boolean> {
  const admin = new Admin({ clientId: 'containers-test', bootstrapBrokers: [bootstrap], retries: 0, timeout: 2_000 });
  try {
    const metadata = await admin.metadata({ topics: [] });
    return [...metadata.brokers.values()].some((broker) => `${broker.host}:${broker.port}` === bootstrap);
  } catch {
    return false;
  } finally {
    await admin.close().catch(() => undefined);
  }
}

describe('containers infrastructure provider on Kafka', () => {
  const topology = { ...referenceTopology(), broker: 'kafka' as const };
  const topic = 'containers-kafka-test';
  let infra: ContainerInfra;
  let runDir: string;
  const proxyOf = (from: string) => {
    const proxy = infra.description.proxies.find((candidate) => candidate.kind === 'kafka' && candidate.from === from);
    if (!proxy) throw new Error(`no Kafka proxy for ${from}`);
    return proxy;
  };

  beforeAll(async () => {
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-containers-kafka-test-'));
    infra = await startContainerInfra({ runDir, topology });
  });

  afterAll(async () => {
    await infra?.stop();
    if (runDir) fs.rmSync(runDir, { recursive: true, force: true });
  });

  it('starts Kafka instead of RabbitMQ, published on loopback, each broker client behind a proxy to its own listener', async () => {
    const d = infra.description;
    expect(d.rabbitmq).toBeUndefined();
    expect(d.containers.rabbitmq).toBeUndefined();
    expect(d.kafka).toEqual({ internalBootstrap: expect.stringMatching(/^127\.0\.0\.1:\d+$/), pid: -1 });
    expect(new Set(await publishedOn(d.containers.kafka ?? ''))).toEqual(new Set(['127.0.0.1']));
    const brokerClients = topology.services.filter((service) => service.broker).map((service) => service.name);
    const kafkaProxies = d.proxies.filter((proxy) => proxy.kind === 'kafka');
    expect(kafkaProxies.map((proxy) => proxy.from).sort()).toEqual([...brokerClients].sort());
    for (const proxy of kafkaProxies) {
      expect(infra.kafka?.clientListeners[proxy.from]?.bootstrap).toBe(proxy.listen);
      expect(proxy.upstream).toBe(`127.0.0.1:${infra.kafka?.clientListeners[proxy.from]?.port}`);
      expect(d.services[proxy.from]?.kafkaBrokers).toBe(proxy.listen);
    }
  });

  it("carries a record produced through a service's proxy, read back through the harness's listener", async () => {
    const internal = infra.description.kafka?.internalBootstrap ?? '';
    const admin = new Admin({ clientId: 'containers-test', bootstrapBrokers: [internal] });
    try {
      await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
    } finally {
      await admin.close();
    }
    // Told to stay on its proxy: the broker advertises the order listener at the proxy's address.
    expect(await kafkaAnswers(proxyOf('order').listen)).toBe(true);
    await produceToKafka(proxyOf('order').listen, [{ topic, key: 'k', value: 'through the proxy', headers: {} }]);
    const records = await readKafkaTopic(internal, topic);
    expect(records.map((record) => record.value)).toEqual(['through the proxy']);
  });

  it("a disabled broker proxy cuts that service off, not the others nor the harness's listener", async () => {
    const proxy = await infra.toxiproxy.client.get(proxyOf('order').name);
    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    try {
      expect(await kafkaAnswers(proxyOf('order').listen)).toBe(false);
      expect(await kafkaAnswers(proxyOf('notification').listen)).toBe(true);
      expect(await kafkaAnswers(infra.description.kafka?.internalBootstrap ?? '')).toBe(true);
    } finally {
      await proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
    }
    expect(await kafkaAnswers(proxyOf('order').listen)).toBe(true);
  });

  it('stopNode() stops the broker and startNode() brings it back on the same ports, with its records', async () => {
    const internal = infra.description.kafka?.internalBootstrap ?? '';
    await infra.kafka?.stopNode();
    expect(await kafkaAnswers(internal)).toBe(false);
    expect(await kafkaAnswers(proxyOf('order').listen)).toBe(false);
    await infra.kafka?.startNode();
    expect(await kafkaAnswers(proxyOf('order').listen)).toBe(true);
    expect((await readKafkaTopic(internal, topic)).map((record) => record.value)).toEqual(['through the proxy']);
  });

  it('removes every container of the run on stop', async () => {
    const client = await containerEngine();
    const label = `${RUN_LABEL}=${infra.description.runId}`;
    expect((await listContainers(client, [label])).length).toBe(3);
    await infra.stop();
    expect(await listContainers(client, [label])).toEqual([]);
  });
});

/** Polls until no container carries the label, or fails after `ms`. */
async function waitUntilGone(label: string, ms: number): Promise<void> {
  const client = await containerEngine();
  const deadline = Date.now() + ms;
  while ((await listContainers(client, [label])).length > 0) {
    if (Date.now() > deadline) throw new Error(`containers with ${label} still exist after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('containers provider housekeeping', () => {
  it("removes a run's containers when its process is killed with SIGKILL", async () => {
    const runId = `killed-${process.pid}-${Date.now()}`;
    const watchRunModule = new URL('../src/containers/watchRun.ts', import.meta.url).href;
    // A process that starts a run's reaper, then waits to be killed.
    const owner = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { watchRun } = await import(${JSON.stringify(watchRunModule)});
         await watchRun(${JSON.stringify(runId)});
         console.log('watching');
         setInterval(() => undefined, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        owner.stdout.once('data', () => resolve());
        owner.once('exit', (code) => reject(new Error(`the owner process exited early (code ${code})`)));
      });
      const container = await new GenericContainer(containerImages().toxiproxy)
        .withNetworkMode('none')
        .withLabels({
          [PROVIDER_LABEL]: 'containers',
          [RUN_LABEL]: runId,
          [OWNER_LABEL]: `${os.hostname()}/${owner.pid}`,
        })
        .start();
      expect(container.getId()).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      owner.kill('SIGKILL');
    }
    await waitUntilGone(`${RUN_LABEL}=${runId}`, 15_000);
  });

  it('removes the containers of a killed run whose reaper is gone too, on the next clean-up', async () => {
    // A process that has exited stands for a run killed with SIGKILL: its pid is no longer alive.
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']);
    const deadPid = dead.pid ?? 0;
    expect(deadPid).toBeGreaterThan(0);
    const leftover = await new GenericContainer(containerImages().toxiproxy)
      .withNetworkMode('none')
      .withLabels({
        [PROVIDER_LABEL]: 'containers',
        [RUN_LABEL]: 'killed-run',
        [OWNER_LABEL]: `${os.hostname()}/${deadPid}`,
      })
      .start();
    const removed = await cleanupStaleContainers();
    const client = await containerEngine();
    expect(removed).toContain(leftover.getName().replace(/^\//, ''));
    expect(await listContainers(client, [`${RUN_LABEL}=killed-run`])).toEqual([]);
  });

  it('names the setup commands when an image is missing', async () => {
    const client = await containerEngine();
    const images = { ...containerImages(), postgres: 'harness/not-built:0' };
    await expect(assertImagesAvailable(client, images)).rejects.toThrow(
      'bash ci/containers/setup-docker.sh && bash ci/containers/build-images.sh',
    );
  });
});
