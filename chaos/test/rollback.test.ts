import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  freePort,
  startToxiproxy,
  type InfraDescription,
  type ProxyAddress,
  type ToxiproxyServer,
} from '@harness/runtime';
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultController } from '../src/faults/FaultController.ts';
import type { Queryable } from '../src/invariants/Invariant.ts';
import type { Fault } from '../src/scenario/Scenario.ts';
import type { ChaosSystem } from '../src/system/ChaosSystem.ts';

// A Toxiproxy of this file's own: the rollback sweep enables every proxy and removes every chaos
// toxic of the Toxiproxy it is given, which must not reach into other test files' proxies.
let server: ToxiproxyServer;
let logDir: string;
let description: InfraDescription;

beforeAll(async () => {
  logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chaos-rollback-'));
  server = await startToxiproxy({ logDir });
  const proxies: ProxyAddress[] = [
    {
      name: 'l2-gateway-order',
      kind: 'link',
      from: 'gateway',
      to: 'order',
      link: 'L2',
      listen: '',
      upstream: '127.0.0.1:9',
    },
    {
      name: 'l4-order-inventory',
      kind: 'link',
      from: 'order',
      to: 'inventory',
      link: 'L4',
      listen: '',
      upstream: '127.0.0.1:9',
    },
    {
      name: 'payment-postgres',
      kind: 'postgres',
      from: 'payment',
      to: 'postgres',
      listen: '',
      upstream: '127.0.0.1:9',
    },
  ];
  for (const proxy of proxies) {
    proxy.listen = `127.0.0.1:${await freePort()}`;
    await server.client.createProxy({ name: proxy.name, listen: proxy.listen, upstream: proxy.upstream });
  }
  description = {
    toxiproxy: { url: server.url, port: server.port, pid: server.process.pid },
    proxies,
  } as InfraDescription;
});
afterAll(async () => {
  await server.stop();
  fs.rmSync(logDir, { recursive: true, force: true });
});

/** The parts of a system the fault controller touches for link faults. */
function linkOnlySystem(): ChaosSystem {
  return {
    mode: 'attached',
    infra: description,
    toxiproxy: new Toxiproxy(server.url),
    taps: new Map(),
    frontTaps: new Map(),
    canRestart: false,
    broker: { stopped: false, stopApp: async () => undefined, startApp: async () => undefined },
    signal: () => false,
    isRunning: () => true,
  } as unknown as ChaosSystem;
}

async function proxyState(name: string): Promise<{ enabled: boolean; toxics: string[] }> {
  const response = await fetch(`${server.url}/proxies/${name}`);
  const body = (await response.json()) as { enabled: boolean; toxics: Array<{ name: string }> };
  return { enabled: body.enabled, toxics: body.toxics.map((toxic) => toxic.name).sort() };
}

const faults: Fault[] = [
  {
    id: 'slice',
    kind: 'toxic',
    target: { link: 'L2' },
    toxic: { type: 'slicer', averageSize: 10, sizeVariation: 5, delayUs: 10 },
    direction: 'both',
    toxicity: 0.5,
    startMs: 0,
  },
  { id: 'down', kind: 'proxy-down', target: { database: 'payment' }, startMs: 0 },
];

describe('rollback', () => {
  it('puts toxics in both directions and a proxy down, then undoes all of it', async () => {
    const controller = new FaultController({
      system: linkOnlySystem(),
      scenario: 'test',
      outboxDb: {} as Queryable,
      sinceIso: new Date().toISOString(),
      runTag: 'test',
      poisons: [],
      log: () => undefined,
    });
    for (const fault of faults) await controller.inject(fault);
    expect(await proxyState('l2-gateway-order')).toEqual({
      enabled: true,
      toxics: ['chaos-slice-downstream', 'chaos-slice-upstream'],
    });
    expect((await proxyState('payment-postgres')).enabled).toBe(false);

    const steps = await controller.rollback();
    expect(steps.every((step) => step.ok)).toBe(true);
    expect(await proxyState('l2-gateway-order')).toEqual({ enabled: true, toxics: [] });
    expect(await proxyState('payment-postgres')).toEqual({ enabled: true, toxics: [] });
    expect([...controller.records.values()].every((record) => record.liftedAtMs !== undefined)).toBe(true);
  });

  it('sweeps chaos toxics and disabled proxies its bookkeeping does not know about', async () => {
    const toxiproxy = new Toxiproxy(server.url);
    const proxy = await toxiproxy.get('l4-order-inventory');
    await proxy.addToxic({
      name: 'chaos-left-behind',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 10, jitter: 0 },
    });
    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    const controller = new FaultController({
      system: linkOnlySystem(),
      scenario: 'test',
      outboxDb: {} as Queryable,
      sinceIso: new Date().toISOString(),
      runTag: 'test',
      poisons: [],
      log: () => undefined,
    });
    const steps = await controller.rollback();
    expect(steps.map((step) => step.step)).toEqual([
      'clear chaos toxics, enable proxies: removed leftover toxic chaos-left-behind from l4-order-inventory; enabled l4-order-inventory',
    ]);
    expect(await proxyState('l4-order-inventory')).toEqual({ enabled: true, toxics: [] });
  });
});
