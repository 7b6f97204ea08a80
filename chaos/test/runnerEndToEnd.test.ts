import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSuite, type SuiteResult } from '../src/runner/runSuite.ts';
import { loadScenarios } from '../src/scenario/loadScenarios.ts';
import type { Scenario } from '../src/scenario/Scenario.ts';
import { idleLinkFault } from './support/idleLinkFault.ts';

describe('chaos runner on the real system', () => {
  it('passes scenario 1, fails scenarios against broken variants of the system, reports an untouched fault as vacuous', async () => {
    const shipped = await loadScenarios();
    const find = (id: string): Scenario => {
      const scenario = shipped.find((candidate) => candidate.id === id);
      if (!scenario) throw new Error(`scenario ${id} is missing`);
      return scenario;
    };
    const breakerOpens = find('payment-latency-opens-breaker');
    // The broken variant of the system: order's payment breaker would need a million failures.
    const breakerDisabled: Scenario = {
      ...breakerOpens,
      id: 'payment-latency-with-breaker-disabled',
      serviceEnv: { order: { PAYMENT_BREAKER_THRESHOLD: '1000000' } },
    };
    // Retries disabled: order makes one attempt per call to inventory.
    const retriesDisabled: Scenario = {
      ...find('inventory-reset-peer-retries'),
      id: 'inventory-resets-with-retries-disabled',
      serviceEnv: { order: { INVENTORY_RETRY_ATTEMPTS: '1' } },
    };
    // A bulkhead too wide to ever fill: nothing is refused, every call waits on the slow database.
    const bulkheadDisabled: Scenario = {
      ...find('inventory-db-latency-bulkhead'),
      id: 'inventory-db-latency-with-bulkhead-disabled',
      serviceEnv: { order: { INVENTORY_BULKHEAD_LIMIT: '50', INVENTORY_BULKHEAD_QUEUE: '50' } },
    };
    const reportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chaos-e2e-'));
    const lines: string[] = [];
    const result: SuiteResult = await runSuite({
      scenarios: [],
      definitions: [breakerOpens, breakerDisabled, retriesDisabled, bulkheadDisabled, idleLinkFault],
      profile: 'ci',
      repeat: 1,
      seed: 7,
      attach: false,
      reportsDir,
      // Two systems side by side: the five scenarios in about 40 s instead of 68.
      parallel: 2,
      log: (line) => lines.push(line),
    });
    const [passed, broken, noRetries, noBulkhead, vacuous] = result.journal.runs;
    const failedChecks = (run: typeof passed, oracle: string): string[] =>
      run?.oracles
        .find((o) => o.oracle === oracle)
        ?.checks.filter((c) => !c.passed)
        .map((c) => c.name) ?? ['(oracle missing)'];
    expect(passed?.status, passed?.failures.join('\n')).toBe('passed');
    expect(passed?.rollback.every((step) => step.ok)).toBe(true);
    // Judged twice: from the kit's own log and, black-box, from the front tap on L5 alone.
    expect(passed?.oracles.map((o) => [o.oracle, o.passed])).toEqual([
      ['breaker order → payment', true],
      ['black-box breaker L5', true],
    ]);

    expect(broken?.status).toBe('failed');
    const breaker = broken?.oracles.find((oracle) => oracle.oracle === 'breaker order → payment');
    expect(breaker?.checks.find((check) => check.name === 'opens')?.passed).toBe(false);
    expect(broken?.restartedForEnv).toEqual(['order']);
    // Black-box, the promise is the policy the caller reports: a threshold of a million that the
    // fault never reaches cannot be judged from the wire (py-shop's config-declared promise can).
    const blackBox = broken?.oracles.find((oracle) => oracle.oracle === 'black-box breaker L5');
    expect(blackBox?.checks.find((check) => check.name === 'breaker-engaged')?.detail).toMatch(
      /^not judged: .* fewer than the threshold 1000000/,
    );

    expect(noRetries?.status).toBe('failed');
    expect(failedChecks(noRetries, 'retry order → inventory')).toContain('retries-observed');
    expect(failedChecks(noRetries, 'black-box retry L4')).toContain('retries-observed');

    expect(noBulkhead?.status).toBe('failed');
    expect(failedChecks(noBulkhead, 'bulkhead order → inventory')).toEqual(['excess-rejected', 'rejected-fast']);
    expect(failedChecks(noBulkhead, 'black-box bulkhead L4')).toEqual(['excess-rejected-fast']);

    expect(vacuous?.status).toBe('vacuous');
    expect(vacuous?.failures).toEqual([
      expect.stringContaining(
        'fault slow-notification never touched traffic (0 requests crossed l8-gateway-notification',
      ),
    ]);

    expect(result.exitCode).toBe(1);
    expect(result.journal.summary).toMatchObject({ passed: 1, failed: 3, vacuous: 1, skipped: 0 });
    for (const file of ['journal.json', 'junit.xml', 'index.html'])
      expect(fs.existsSync(path.join(result.reportDir, file))).toBe(true);
    const junit = fs.readFileSync(path.join(result.reportDir, 'junit.xml'), 'utf8');
    expect(junit).toContain('<testsuites name="chaos" tests="5" failures="4"');
    expect(junit).toContain('<failure type="vacuous"');
    expect(fs.readFileSync(path.join(result.reportDir, 'index.html'), 'utf8')).toContain('<svg class="timeline"');
    fs.rmSync(reportsDir, { recursive: true, force: true });
  }, 300_000);
});
