import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import amqp from 'amqplib';
import pg from 'pg';
import { GenericContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceTopology } from '../src/index.ts';
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
    for (const id of [postgres, rabbitmq]) {
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
