import { Toxiproxy } from 'toxiproxy-node-client';
import { describe, expect, it } from 'vitest';
import { FaultController } from '../src/faults/FaultController.ts';
import type { Queryable } from '../src/invariants/Invariant.ts';
import type { Fault } from '../src/scenario/Scenario.ts';
import type { ChaosSystem } from '../src/system/ChaosSystem.ts';
import { infra } from './support/infra.ts';

/** The parts of a system the fault controller touches for link faults: the test run's Toxiproxy. */
function linkOnlySystem(): ChaosSystem {
  const description = infra();
  return {
    mode: 'attached',
    infra: description,
    toxiproxy: new Toxiproxy(description.toxiproxy.url),
    taps: new Map(),
    canRestart: false,
    broker: { stopped: false, stopApp: async () => undefined, startApp: async () => undefined },
    signal: () => false,
    isRunning: () => true,
  } as unknown as ChaosSystem;
}

async function proxyState(name: string): Promise<{ enabled: boolean; toxics: string[] }> {
  const response = await fetch(`${infra().toxiproxy.url}/proxies/${name}`);
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
      orderDb: {} as Queryable,
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
    const toxiproxy = new Toxiproxy(infra().toxiproxy.url);
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
      orderDb: {} as Queryable,
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
