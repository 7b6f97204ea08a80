import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, REPO_ROOT } from '@harness/runtime';
import { checkScenario, loadSystemScenarios, type SystemScenario } from '../src/systems/index.ts';
import { withServiceEnv } from '../src/systems/runSystemChaos.ts';

const pyShop = path.join(REPO_ROOT, 'examples', 'py-shop', 'harness.config.ts');

const valid = (): SystemScenario => ({
  id: 'payments-down',
  title: 'payments down',
  hypothesis: 'orders opens its breaker',
  timeLimitMs: 30_000,
  faults: [{ id: 'down', kind: 'proxy-down', target: { link: 'P1' }, startMs: 0, stopMs: 1_000 }],
  workload: [{ id: 'checkout', service: 'orders', method: 'POST', path: '/orders', count: 5 }],
  expectations: {
    oracles: [{ link: 'P1', fault: 'down' }],
    responses: [{ stream: 'checkout', window: { duringFault: 'down' }, minResponses: 1 }],
    invariants: ['orders-terminal'],
    settleWithinMs: 10_000,
  },
  recovery: { withinMs: 5_000 },
});

describe('scenario files for a config system', () => {
  it("loads py-shop's scenarios, each checked against its config", async () => {
    const config = await loadConfig(pyShop);
    const loaded = await loadSystemScenarios(config);
    expect(loaded.map((entry) => entry.scenario.id)).toEqual([
      'payments-down-opens-breaker',
      'payments-slow-timeout',
      'payments-resets-retries',
      'broker-down-outbox-holds',
      'shipping-killed',
      'payments-fail-first-two-attempts',
    ]);
    expect(checkScenario(valid(), config)).toEqual([]);
  });

  it('names every unknown link, service, fault, stream and invariant with its field', async () => {
    const config = await loadConfig(pyShop);
    const broken: SystemScenario = {
      ...valid(),
      faults: [
        { id: 'down', kind: 'proxy-down', target: { link: 'P9' }, startMs: 0 },
        { id: 'mq', kind: 'toxic', target: { link: 'M1' }, toxic: { type: 'latency', latencyMs: 10 }, startMs: 0 },
        { id: 'db', kind: 'proxy-down', target: { database: 'ghost' }, startMs: 0 },
        { id: 'req', kind: 'request', target: { broker: 'orders' } as never, action: { kind: 'drop' }, startMs: 0 },
        { id: 'req2', kind: 'request', target: { link: 'M1' }, action: { kind: 'status', status: 302 }, startMs: 0 },
      ],
      workload: [{ id: 'checkout', service: 'billing', method: 'POST', path: 'orders', count: 5 }],
      expectations: {
        oracles: [{ link: 'P1', fault: 'nope' }],
        responses: [{ stream: 'other', window: { afterFault: 'gone' }, minResponses: 1 }],
        invariants: ['stock-conserved'],
        settleWithinMs: 10_000,
      },
    };
    const issues = checkScenario(broken, config).map((issue) => `${issue.path}: ${issue.message}`);
    expect(issues).toEqual([
      'faults[0].target.link: unknown link "P9" (links: P1, M1)',
      'faults[1].target.link: link M1 is a message link; target the broker connection of orders or shipping',
      'faults[2].target.database: unknown service "ghost" (services: orders, payments, shipping)',
      'faults[3].target: a request-level fault needs { link } (a database or broker connection carries no HTTP requests)',
      'faults[4].target.link: link M1 is a message link; target the broker connection of orders or shipping',
      'faults[4].target.link: link "M1" is not an HTTP link',
      'faults[4]: status must be an HTTP error status (400..599)',
      'workload[0].service: unknown service "billing" (services: orders, payments, shipping)',
      'workload[0].path: expected a path starting with /',
      'expectations.oracles[0].fault: unknown fault "nope" (faults: down, mq, db, req, req2)',
      'expectations.responses[0].stream: unknown stream "other" (streams: checkout)',
      'expectations.responses[0].window.afterFault: unknown fault "gone" (faults: down, mq, db, req, req2)',
      'expectations.invariants: unknown invariant "stock-conserved" (config invariants: at-most-one-charge-per-order, orders-terminal, outbox-published, confirmed-shipped-once)',
    ]);
  });

  it('refuses a scenario file that does not load, naming the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-scenarios-'));
    fs.writeFileSync(path.join(dir, 'bad.scenario.ts'), 'export default { id: \n');
    const loaded = await loadConfig(pyShop);
    const config = {
      ...loaded,
      chaos: { ...loaded.chaos, scenarios: [path.join(dir, '*.scenario.ts')], invariants: [] },
    };
    const error = await loadSystemScenarios(config).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/bad\.scenario\.ts: cannot load: /);
    expect((error as Error).message).not.toMatch(/^\s+at /m);
  });
});

describe("a mutant's env over a scenario's", () => {
  it('lays it over service by service, the mutant winning', () => {
    const scenario = { ...valid(), serviceEnv: { orders: { A: '1', B: '2' }, payments: { C: '3' } } };
    expect(withServiceEnv(scenario, { orders: { B: 'mutant' }, shipping: { D: '4' } }).serviceEnv).toEqual({
      orders: { A: '1', B: 'mutant' },
      payments: { C: '3' },
      shipping: { D: '4' },
    });
    expect(withServiceEnv(scenario, undefined)).toBe(scenario);
  });
});
