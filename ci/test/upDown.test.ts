import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive, isListening, portOf, sleep, type RunState } from '@harness/runtime';
import { harness } from './cliHelpers.ts';

function isolatedState(): NodeJS.ProcessEnv {
  return { HARNESS_STATE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'harness-state-')) };
}

function readState(env: NodeJS.ProcessEnv): RunState {
  return JSON.parse(fs.readFileSync(path.join(env.HARNESS_STATE_DIR ?? '', 'run.json'), 'utf8')) as RunState;
}

function portsOf(state: RunState): number[] {
  const infra = state.infra;
  if (!infra) return [];
  return [
    infra.postgres.port,
    ...(infra.rabbitmq ? [infra.rabbitmq.port] : []),
    infra.toxiproxy.port,
    ...infra.proxies.map((p) => portOf(p.listen)),
    ...[infra.jaeger?.otlpUrl, infra.jaeger?.uiUrl].flatMap((url) => (url ? [Number(new URL(url).port)] : [])),
  ];
}

async function listeningPorts(ports: number[]): Promise<number[]> {
  const up = await Promise.all(ports.map((port) => isListening(port)));
  return ports.filter((_, i) => up[i]);
}

describe('harness up / status / down', () => {
  it('starts in the background, reports healthy, and leaves nothing running after down', async () => {
    const env = isolatedState();
    const started = await harness(['up', '--infra-only'], env);
    expect(started.stdout).toContain('harness is up');
    expect(started.code).toBe(0);
    const state = readState(env);
    expect(state.status).toBe('ready');
    expect(state.processes.map((p) => p.name).sort()).toEqual([
      'epmd',
      'jaeger',
      'postgresql',
      'rabbitmq',
      'toxiproxy',
    ]);

    const status = await harness(['status'], env);
    expect(status.stdout).toMatch(/^healthy/);
    expect(status.stdout).toMatch(/proxies\s+17\/17 listening/);

    const again = await harness(['up', '--infra-only'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('a run is already active');

    const stopped = await harness(['down'], env);
    expect(stopped.code).toBe(0);
    const pids = [state.supervisorPid, ...state.processes.map((p) => p.pid)];
    expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
    expect(await listeningPorts(portsOf(state))).toEqual([]);
    expect(fs.existsSync(state.runDir)).toBe(false);
    expect((await harness(['status'], env)).stdout).toContain('nothing is running');
  });

  it('cleans up a stale run left by a killed supervisor', async () => {
    const env = isolatedState();
    expect((await harness(['up', '--infra-only'], env)).code).toBe(0);
    const state = readState(env);
    process.kill(state.supervisorPid, 'SIGKILL');
    await sleep(300);
    const status = await harness(['status'], env);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain('dead');

    const restarted = await harness(['up', '--infra-only'], env);
    expect(restarted.stdout).toContain('found a stale run from a killed harness');
    expect(restarted.code).toBe(0);
    expect(state.processes.filter((p) => isAlive(p.pid))).toEqual([]);
    const fresh = readState(env);
    expect((await harness(['down'], env)).code).toBe(0);
    expect(fresh.processes.filter((p) => isAlive(p.pid))).toEqual([]);
  });

  it('refuses a port that is already taken with a clear message and starts nothing', async () => {
    const env = isolatedState();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const result = await harness(['up', '--infra-only', '--toxiproxy-port', String(port)], env);
      expect(result.code).toBe(1);
      expect(`${result.stdout}${result.stderr}`).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(
        fs.existsSync(path.join(env.HARNESS_STATE_DIR ?? '', 'run.json')) ? readState(env).status : 'none',
      ).not.toBe('ready');
      expect((await harness(['status'], env)).stdout).not.toMatch(/^healthy/);
    } finally {
      blocker.close();
    }
  });

  it('starts a --direct system whose services bypass Toxiproxy, and an order placed through it is confirmed', async () => {
    const env = isolatedState();
    const started = await harness(['up', '--direct'], env, 240_000);
    expect(started.code, started.stderr).toBe(0);
    try {
      const state = readState(env);
      expect(state.wiring).toBe('direct');
      expect((await harness(['status'], env)).stdout).toContain('wiring       direct');
      const infra = state.infra;
      if (!infra || !state.secrets) throw new Error('no infra in the run state');
      // The order service talks to PostgreSQL, RabbitMQ and its HTTP dependencies at their own ports.
      const order = state.processes.find((p) => p.name === 'order');
      const orderEnv = fs.readFileSync(`/proc/${order?.pid}/environ`, 'utf8').split('\0');
      expect(orderEnv).toContain(`INVENTORY_URL=${infra.services.inventory?.url}`);
      expect(orderEnv.find((entry) => entry.startsWith('DATABASE_URL='))).toContain(`:${infra.postgres.port}/`);
      expect(orderEnv.find((entry) => entry.startsWith('AMQP_URL='))).toContain(`:${infra.rabbitmq?.port}`);

      const placed = await fetch(`${infra.services.gateway?.url}/api/v1/orders`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${state.secrets.demoApiKey}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': randomUUID(),
        },
        body: JSON.stringify({ items: [{ productId: 'p-bulk', quantity: 1 }], paymentToken: 'tok_approve' }),
      });
      expect(placed.status).toBe(201);
      expect(((await placed.json()) as { status?: string }).status).toBe('CONFIRMED');
    } finally {
      expect((await harness(['down'], env)).code).toBe(0);
    }
  });

  it('refuses to start when a required tool is missing, naming how to install it', async () => {
    const env: NodeJS.ProcessEnv = {
      ...isolatedState(),
      HARNESS_TOOLS_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'no-tools-')),
      PATH: '/usr/bin:/bin',
    };
    const result = await harness(['up', '--infra-only'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/tools missing:[\s\S]*toxiproxy-server: not found; install: .*go install/);
    expect(result.stderr).toMatch(/\bjaeger: not found; install: .*npm run setup/);
    expect(fs.existsSync(path.join(env.HARNESS_STATE_DIR ?? '', 'run.json'))).toBe(false);
  });
});
