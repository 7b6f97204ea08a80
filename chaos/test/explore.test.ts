import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, REPO_ROOT } from '@harness/runtime';
import { chooseCells, faultSpace } from '../src/explore/faultSpace.ts';
import { cellScenario, verdictOf } from '../src/explore/runExplore.ts';
import { checkScenario } from '../src/systems/index.ts';
import type { SystemScenarioOutcome } from '../src/systems/runSystemScenario.ts';

const pyShop = path.join(REPO_ROOT, 'examples', 'py-shop', 'harness.config.ts');

describe('the fault space of a config', () => {
  it('py-shop: seven faults on its HTTP link, each judged by the promise it tests; databases, broker, processes', async () => {
    const config = await loadConfig(pyShop);
    const cells = faultSpace(config);
    expect(cells.map((cell) => cell.id)).toEqual([
      'P1 latency',
      'P1 refused',
      'P1 reset',
      'P1 black-hole',
      'P1 slow-bandwidth',
      'P1 status-503',
      'P1 answer-cut',
      'orders db-refused',
      'orders db-slow',
      'orders broker-refused',
      'orders killed',
      'payments db-refused',
      'payments db-slow',
      'payments killed',
      'shipping db-refused',
      'shipping db-slow',
      'shipping broker-refused',
      'shipping killed',
    ]);
    const byId = new Map(cells.map((cell) => [cell.id, cell]));
    expect(byId.get('P1 latency')?.oracles).toEqual(['timeout', 'breaker']);
    // Twice the promised timeout (1 s), so every call times out.
    expect(byId.get('P1 latency')?.spec).toMatchObject({ toxic: { type: 'latency', latencyMs: 2_000 } });
    expect(byId.get('P1 status-503')).toMatchObject({ oracles: ['breaker', 'retry'], spec: { kind: 'request' } });
    expect(byId.get('shipping killed')).toMatchObject({ oracles: [], spec: { kind: 'process', action: 'kill' } });
  });

  it('a link without a promise gets no oracle; --only picks rows, classes or cells', async () => {
    const config = await loadConfig(pyShop);
    const bare = { ...config, resilience: {} };
    expect(
      faultSpace(bare)
        .filter((cell) => cell.row === 'P1')
        .every((cell) => cell.oracles.length === 0),
    ).toBe(true);
    const cells = faultSpace(config);
    expect(chooseCells(cells, ['P1']).map((c) => c.fault)).toHaveLength(7);
    expect(chooseCells(cells, ['killed']).map((c) => c.row)).toEqual(['orders', 'payments', 'shipping']);
    expect(chooseCells(cells, ['payments db-slow', 'reset']).map((c) => c.id)).toEqual([
      'P1 reset',
      'payments db-slow',
    ]);
    expect(chooseCells(cells, [], 3)).toHaveLength(3);
  });

  it('every cell is a scenario the config accepts, with the explore workload', async () => {
    const config = await loadConfig(pyShop);
    for (const cell of faultSpace(config)) {
      const scenario = cellScenario(config, cell);
      expect(checkScenario(scenario, config), cell.id).toEqual([]);
      expect(scenario.workload).toEqual(config.explore?.workload);
      expect(scenario.faults[0]).toMatchObject({ startMs: 500, stopMs: 4_500 });
    }
  });
});

describe('the verdict of a cell', () => {
  const outcome = (over: Partial<SystemScenarioOutcome>): SystemScenarioOutcome => ({
    id: 'x',
    title: 'x',
    passed: true,
    durationMs: 1,
    checks: [{ name: 'steady-state', passed: true, detail: 'ok' }],
    oracles: [],
    invariants: [],
    faults: [],
    requests: { sent: 1, byStatus: {} },
    ...over,
  });

  it('survived, vacuous when only the vacuity check failed, violated naming what failed, error', () => {
    expect(verdictOf(outcome({}))).toEqual({ verdict: 'survived', failed: [] });
    expect(
      verdictOf(
        outcome({ passed: false, checks: [{ name: 'not-vacuous f', passed: false, detail: 'vacuous: nothing' }] }),
      ),
    ).toEqual({ verdict: 'vacuous', failed: ['not-vacuous f: vacuous: nothing'] });
    const violated = verdictOf(
      outcome({
        passed: false,
        oracles: [
          {
            oracle: 'black-box breaker P1',
            passed: false,
            checks: [{ name: 'breaker-engaged', passed: false, detail: '91 attempts' }],
          },
        ],
        invariants: [{ name: 'orders-terminal', holds: false, detail: '2 rows' }],
      }),
    );
    expect(violated).toEqual({
      verdict: 'violated',
      failed: ['black-box breaker P1 breaker-engaged: 91 attempts', 'invariant orders-terminal: 2 rows'],
    });
    expect(verdictOf(outcome({ passed: false, error: 'boom' }))).toEqual({ verdict: 'error', failed: ['error: boom'] });
  });
});
