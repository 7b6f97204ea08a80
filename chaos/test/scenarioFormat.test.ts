import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyProfile, InvalidScenarioError, loadScenarios, selectScenarios } from '../src/scenario/loadScenarios.ts';
import type { Fault, Scenario } from '../src/scenario/Scenario.ts';
import { validateScenario } from '../src/scenario/validateScenario.ts';
import { loadKitDomain } from '../src/system/kitSystem.ts';

// Invariant names are checked against the kit domain the repository's config names.
beforeAll(async () => {
  await loadKitDomain();
});

const valid: Scenario = {
  id: 'example',
  title: 'An example',
  hypothesis: 'Something holds.',
  ci: true,
  timeLimitMs: 30_000,
  steadyState: [{ kind: 'services-ready' }],
  faults: [
    {
      id: 'slow',
      kind: 'toxic',
      target: { link: 'L5' },
      toxic: { type: 'latency', latencyMs: 100 },
      direction: 'downstream',
      startMs: 0,
      stopMs: 1_000,
    },
  ],
  workload: [
    { kind: 'place-orders', id: 'checkout', count: 3, concurrency: 1, items: [{ productId: 'p-bulk', quantity: 1 }] },
  ],
  expectations: {
    responses: [{ stream: 'checkout', window: { duringFault: 'slow' }, statuses: [201], minResponses: 1 }],
    invariants: ['orders-terminal'],
    settleWithinMs: 10_000,
  },
  recovery: { withinMs: 5_000, probes: [{ kind: 'services-ready' }] },
};

const withFault = (fault: Partial<Fault>): Scenario => ({
  ...valid,
  faults: [{ ...valid.faults[0], ...fault } as Fault],
});

describe('scenario format', () => {
  it('accepts a well-formed scenario', () => {
    expect(validateScenario(valid)).toEqual([]);
  });

  it('accepts every shipped scenario, at least the twelve of the issue, each within 60 s', async () => {
    const scenarios = await loadScenarios();
    expect(scenarios.length).toBeGreaterThanOrEqual(12);
    for (const scenario of scenarios) {
      expect(validateScenario(scenario), scenario.id).toEqual([]);
      expect(scenario.timeLimitMs).toBeLessThanOrEqual(60_000);
    }
  });

  it('covers every toxic, both directions, partial toxicity and process and message faults', async () => {
    const faults = (await loadScenarios()).flatMap((scenario) => scenario.faults);
    const toxics = new Set(faults.flatMap((f) => (f.kind === 'toxic' ? [f.toxic.type] : [])));
    expect([...toxics].sort()).toEqual([
      'bandwidth',
      'latency',
      'limit_data',
      'reset_peer',
      'slicer',
      'slow_close',
      'timeout',
    ]);
    const directions = new Set(
      faults.flatMap((f) =>
        f.kind === 'toxic' ? (f.direction === 'both' ? ['upstream', 'downstream'] : [f.direction]) : [],
      ),
    );
    expect([...directions].sort()).toEqual(['downstream', 'upstream']);
    expect(faults.some((f) => f.kind === 'toxic' && (f.toxicity ?? 1) < 1)).toBe(true);
    expect(faults.some((f) => f.kind === 'proxy-down')).toBe(true);
    const processActions = new Set(faults.flatMap((f) => (f.kind === 'process' ? [f.action] : [])));
    expect([...processActions].sort()).toEqual(['kill', 'pause']);
    const messageActions = new Set(faults.flatMap((f) => (f.kind === 'message' ? [f.action] : [])));
    expect([...messageActions].sort()).toEqual(['broker-restart', 'duplicate', 'poison']);
  });

  it.each<[string, Scenario, string]>([
    ['a non-kebab id', { ...valid, id: 'Not Kebab' }, 'id must be kebab-case'],
    ['a time limit over 60 s', { ...valid, timeLimitMs: 61_000 }, 'timeLimitMs must be in (0, 60000]'],
    ['toxicity above 1', withFault({ toxicity: 1.5 } as Partial<Fault>), 'fault slow: toxicity must be in (0, 1]'],
    [
      'a stop before the start',
      withFault({ startMs: 2_000, stopMs: 1_000 }),
      'fault slow: stopMs must be after startMs and within the time limit',
    ],
    [
      'an unknown link',
      withFault({ target: { link: 'L9' } } as unknown as Partial<Fault>),
      'fault slow: unknown HTTP, GraphQL or gRPC link L9',
    ],
    [
      'a read-orders stream through a link not into the entry service',
      { ...valid, workload: [{ kind: 'read-orders', id: 'views', link: 'L2', everyMs: 100, count: 5 }] },
      'stream views: link L2 is not an HTTP or GraphQL link into gateway',
    ],
    [
      'a slicer varying more than its size',
      withFault({ toxic: { type: 'slicer', averageSize: 10, sizeVariation: 20, delayUs: 0 } } as Partial<Fault>),
      'fault slow: slicer: sizeVariation must be smaller than averageSize',
    ],
    [
      'a window on an unknown fault',
      {
        ...valid,
        expectations: {
          ...valid.expectations,
          responses: [{ stream: 'checkout', window: { duringFault: 'nope' }, minResponses: 1 }],
        },
      },
      'response expectation on checkout: no fault nope',
    ],
    [
      'an expectation over no responses',
      {
        ...valid,
        expectations: {
          ...valid.expectations,
          responses: [{ stream: 'checkout', window: { all: true }, minResponses: 0 }],
        },
      },
      'response expectation on checkout: minResponses must be at least 1 (an expectation over nothing proves nothing)',
    ],
    [
      'a request-level fault on a database connection',
      {
        ...valid,
        faults: [
          {
            id: 'req',
            kind: 'request',
            target: { database: 'payment' } as never,
            action: { kind: 'drop' },
            startMs: 0,
          },
        ],
      },
      'fault req: a request-level fault needs an HTTP or gRPC link target ({ link }): a database or broker connection carries no requests',
    ],
    [
      'a request-level fault on the gRPC link naming no gRPC error status',
      {
        ...valid,
        faults: [
          {
            id: 'req',
            kind: 'request',
            target: { link: 'L11' },
            action: { kind: 'status', status: 503, grpcStatus: 0 },
            startMs: 0,
          },
        ],
      },
      'fault req: grpcStatus must be a gRPC error status (1..16)',
    ],
    [
      'an unbounded workload',
      { ...valid, workload: [{ ...valid.workload[0], count: 10_000 } as Scenario['workload'][number]] },
      'stream checkout: count must be 1..500',
    ],
    [
      'evidence for an unknown fault',
      {
        ...valid,
        expectations: {
          ...valid.expectations,
          evidence: [{ kind: 'responses', fault: 'nope', stream: 'checkout', status: 409, min: 1 }],
        },
      },
      'evidence responses: no fault nope',
    ],
    [
      'counter evidence waiting longer than the scenario may run',
      {
        ...valid,
        expectations: {
          ...valid.expectations,
          evidence: [
            {
              kind: 'counter',
              fault: 'slow',
              service: 'notification',
              metric: 'harness_consumer_redeliveries_total',
              min: 1,
              graceMs: 10_000_000,
            },
          ],
        },
      },
      'evidence counter harness_consumer_redeliveries_total: graceMs must be positive and within timeLimitMs',
    ],
    [
      'a broker restart that never ends',
      { ...valid, faults: [{ id: 'mq', kind: 'message', action: 'broker-restart', startMs: 0 }] },
      'fault mq: broker-restart needs stopMs',
    ],
    [
      'an unknown invariant',
      { ...valid, expectations: { ...valid.expectations, invariants: ['all-good' as never] } },
      'unknown invariant all-good (known: dead-letters-accounted, at-most-one-charge-per-order, cancelled-orders-refunded, stock-conserved, orders-terminal, outbox-published, confirmed-notified-once, read-model-converged)',
    ],
  ])('rejects %s', (_what, scenario, problem) => {
    expect(validateScenario(scenario)).toContain(problem);
  });

  it('refuses a scenario file whose name does not end in its id', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chaos-scenarios-'));
    fs.writeFileSync(path.join(dir, '01-other-name.scenario.ts'), `export default ${JSON.stringify(valid)};\n`);
    await expect(loadScenarios(dir)).rejects.toThrow(InvalidScenarioError);
    await expect(loadScenarios(dir)).rejects.toThrow('the file name must end in the scenario id example');
    fs.rmSync(dir, { recursive: true });
  });

  it('selects scenarios by id or number, and the full profile doubles the traffic', async () => {
    const all = await loadScenarios();
    expect(selectScenarios(all, ['1', all[2]!.id], 'ci').map((s) => s.id)).toEqual([all[0]!.id, all[2]!.id]);
    expect(() => selectScenarios(all, ['no-such-scenario'], 'ci')).toThrow('no scenario "no-such-scenario"');
    expect(applyProfile(valid, 'full').workload[0]?.count).toBe(6);
    // The full profile also runs the scenarios too long for CI.
    const slow = ['payment-flapping-breaker-cycles', 'inventory-database-outage'];
    expect(selectScenarios(all, [], 'ci').map((s) => s.id)).not.toEqual(expect.arrayContaining([slow[0]]));
    expect(selectScenarios(all, [], 'full').map((s) => s.id)).toEqual(expect.arrayContaining(slow));
    expect(selectScenarios(all, [], 'full')).toHaveLength(all.length);
    expect(applyProfile(valid, 'ci')).toBe(valid);
  });
});
