import { afterEach, describe, expect, it } from 'vitest';
import type { ResilienceEvent } from '../src/observe/ResilienceLogCollector.ts';
import type { OracleResult } from '../src/oracles/OracleResult.ts';
import { retryOracle, type RetryOracleInput } from '../src/oracles/retryOracle.ts';
import { brokenClientCall, call, policyHarness, type PolicyHarness } from './support/policyHarness.ts';
import { answersMayBeCut } from '../src/runner/evaluateOracles.ts';
import type { Scenario } from '../src/scenario/Scenario.ts';
import { idleLinkFault } from './support/idleLinkFault.ts';

/** What the oracle is told: 3 attempts, backoff 40 → 80 ms (equal jitter), 150 ms per attempt. */
const expected = {
  timeoutMs: 150,
  retry: { maxAttempts: 3, initialDelayMs: 40, maxDelayMs: 200, maxRetryAfterMs: 1_000 },
  breaker: { threshold: 100, halfOpenAfterMs: 5_000 },
};

let harness: PolicyHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function judge(h: PolicyHarness, overrides: Partial<RetryOracleInput> = {}): OracleResult {
  return retryOracle({
    events: h.events(),
    service: 'order',
    dependency: 'payment',
    settings: { ...h.settings, timeoutMs: expected.timeoutMs, retry: expected.retry },
    requests: h.tap.records(),
    minRetries: 1,
    toleranceMs: 30,
    ...overrides,
  });
}

const failed = (result: OracleResult): string[] => result.checks.filter((c) => !c.passed).map((c) => c.name);

/**
 * Backoff 400 → 800 ms: an immediate retry lands under a 200 ms floor even when the tests running
 * beside this file keep the CPU busy (with 40 ms, the floor of 20 ms was within one stall of it).
 */
const slowBackoff = { ...expected, retry: { ...expected.retry, initialDelayMs: 400, maxDelayMs: 800 } };
const judgeSlowBackoff = (h: PolicyHarness): OracleResult =>
  judge(h, { settings: { ...h.settings, timeoutMs: slowBackoff.timeoutMs, retry: slowBackoff.retry } });

describe('retry oracle', () => {
  it('passes the kit client: keyed POSTs and GETs retried within attempts, envelope and deadline', async () => {
    harness = await policyHarness('payment', expected);
    harness.behaviour.failFirstAttempts = 2;
    for (let n = 0; n < 3; n++) expect(await call(harness, { method: 'POST', idempotencyKey: `key-${n}` })).toBe(200);
    expect(await call(harness, { method: 'GET' })).toBe(200);
    // A POST without a key is not retried: one attempt, the 503 comes back as it is.
    expect(await call(harness, { method: 'POST' })).toBe(503);
    const result = judge(harness, { minRetries: 8, maxTotalAttempts: 13 });
    expect(failed(result)).toEqual([]);
    expect(result.checks.find((c) => c.name === 'non-idempotent-retried-only-with-key')?.detail).toContain(
      '3 keyed POST/PATCH call(s) retried with their one key; 1 unkeyed one(s) seen, none retried',
    );
  });

  it('catches more attempts than allowed', async () => {
    harness = await policyHarness('payment', { ...expected, retry: { ...expected.retry, maxAttempts: 5 } });
    harness.behaviour.failFirstAttempts = 4;
    await call(harness, { method: 'PUT' });
    expect(failed(judge(harness))).toContain('attempts-bounded');
  });

  it('catches waits outside the backoff envelope (no jitter floor, too short)', async () => {
    harness = await policyHarness('payment', { ...expected, retry: { ...expected.retry, initialDelayMs: 4 } });
    harness.behaviour.failFirstAttempts = 2;
    await call(harness, { method: 'PUT' });
    // The oracle is told 400 ms backoff and a 1 s timeout: the client's waits of 2–8 ms stay far
    // under the floor, and a stall of the machine cannot push the call past its deadline.
    const result = judge(harness, { settings: { ...harness.settings, timeoutMs: 1_000, retry: slowBackoff.retry } });
    expect(failed(result)).toEqual(['backoff-within-envelope', 'spacing-at-dependency']);
  });

  it('catches a client that logs a backoff but retries at once', async () => {
    harness = await policyHarness('payment', slowBackoff);
    await brokenClientCall(harness, { attempts: 3, waitMs: 0, loggedDelayMs: 400, method: 'PUT' });
    expect(failed(judgeSlowBackoff(harness))).toEqual(['spacing-at-dependency']);
  });

  it('catches a client that retries at once when the dependency answers slowly (the wait counts from the answer)', async () => {
    harness = await policyHarness('payment', slowBackoff);
    // Each answer takes 250 ms: measured from one attempt's start to the next, an immediate retry
    // looked like a 250 ms wait, above the 200 ms floor, and passed.
    harness.behaviour.delayMs = 250;
    await brokenClientCall(harness, { attempts: 3, waitMs: 0, loggedDelayMs: 400, method: 'PUT' });
    const spacing = judgeSlowBackoff(harness).checks.find((c) => c.name === 'spacing-at-dependency');
    expect(spacing?.passed).toBe(false);
    expect(spacing?.detail).toMatch(/attempt 2 came \d+ ms after attempt 1 was answered/);
  });

  it('counts the waits from the start of each attempt when a fault can cut answers on their way back', async () => {
    harness = await policyHarness('payment', slowBackoff);
    // The same client retrying once, at once, after a 250 ms answer: from the start it looks like
    // a wait of 250 ms, above the 200 ms floor.
    harness.behaviour.delayMs = 250;
    await brokenClientCall(harness, { attempts: 2, waitMs: 0, loggedDelayMs: 400, method: 'PUT' });
    const settings = { ...harness.settings, timeoutMs: slowBackoff.timeoutMs, retry: slowBackoff.retry };
    const spacing = (answersMayBeCut: boolean) =>
      judge(harness as PolicyHarness, { settings, answersMayBeCut }).checks.find(
        (c) => c.name === 'spacing-at-dependency',
      );
    expect(spacing(false)?.passed).toBe(false);
    expect(spacing(true)).toMatchObject({
      passed: true,
      detail: '1 retried call(s) spaced by their backoff at the dependency',
    });
  });

  it('passes the kit client when the dependency answers slowly or not within the timeout', async () => {
    harness = await policyHarness('payment', expected);
    harness.behaviour.failFirstAttempts = 2;
    harness.behaviour.delayMs = 60;
    expect(await call(harness, { method: 'PUT' })).toBe(200);
    // Slower than the 150 ms timeout: every attempt is given up, the waits count from the give-up.
    harness.behaviour.delayMs = 250;
    await call(harness, { method: 'PUT', path: '/charges/slow' });
    const result = judge(harness);
    expect(result.checks.find((c) => c.name === 'spacing-at-dependency')).toMatchObject({ passed: true });
    expect(failed(result)).toEqual([]);
  });

  it('catches retries spread beyond the deadline', async () => {
    harness = await policyHarness('payment', expected);
    await brokenClientCall(harness, { attempts: 3, waitMs: 700, loggedDelayMs: 40, method: 'PUT' });
    expect(failed(judge(harness))).toEqual(['spacing-at-dependency', 'within-deadline']);
  });

  it('catches a POST retried without an Idempotency-Key', async () => {
    harness = await policyHarness('payment', expected);
    await brokenClientCall(harness, { attempts: 2, waitMs: 30, loggedDelayMs: 30, method: 'POST' });
    expect(failed(judge(harness))).toEqual(['non-idempotent-retried-only-with-key']);
  });

  it('catches a retry storm', async () => {
    harness = await policyHarness('payment', expected);
    harness.behaviour.status = 503;
    for (let n = 0; n < 5; n++) await call(harness, { method: 'GET' });
    expect(failed(judge(harness, { maxTotalAttempts: 10 }))).toEqual(['no-retry-storm']);
  });

  it('catches a fixed delay at the ceiling of the envelope: every wait the same, no jitter', () => {
    const at = Date.now();
    const retry = (attempt: number, delayMs: number): ResilienceEvent => ({
      type: 'retry',
      service: 'order',
      pid: 1,
      seq: attempt * 100 + delayMs,
      dependency: 'payment',
      atMs: at,
      attempt,
      delayMs,
      reason: 'status 503',
    });
    const fixed = [40, 40, 40, 80, 80, 80].map((delay, index) => retry(index < 3 ? 2 : 3, delay));
    const input = {
      service: 'order',
      dependency: 'payment',
      settings: { ...expected, bulkhead: { limit: 10, queue: 0 } },
      minRetries: 1,
      toleranceMs: 30,
    };
    const result = retryOracle({ ...input, events: fixed });
    expect(failed(result)).toEqual(['retry-jitter']);
    expect(result.checks.find((c) => c.name === 'retry-jitter')?.detail).toContain('attempt 2: 3 waits 40–40 ms');
    const jittered = [23, 31, 40, 44, 61, 80].map((delay, index) => retry(index < 3 ? 2 : 3, delay));
    expect(failed(retryOracle({ ...input, events: jittered }))).toEqual([]);
  });

  it('fails when nothing was retried (the fault proved nothing)', async () => {
    harness = await policyHarness('payment', expected);
    await call(harness, { method: 'GET' });
    expect(failed(judge(harness))).toEqual(['retries-observed']);
  });
});

describe('answersMayBeCut', () => {
  const scenario = (faults: Scenario['faults']): Scenario => ({ ...idleLinkFault, faults });
  const toxic = (
    type: 'reset_peer' | 'latency',
    direction: 'upstream' | 'downstream' | 'both',
  ): Scenario['faults'][number] => ({
    id: 'f',
    kind: 'toxic',
    target: { link: 'L11' },
    toxic: type === 'latency' ? { type, latencyMs: 100 } : { type, timeoutMs: 0 },
    direction,
    startMs: 0,
  });
  it('holds for a cutting toxic downstream or both ways, or the link down; not for latency or another link', () => {
    expect(answersMayBeCut(scenario([toxic('reset_peer', 'downstream')]), 'L11')).toBe(true);
    expect(answersMayBeCut(scenario([toxic('reset_peer', 'both')]), 'L11')).toBe(true);
    expect(answersMayBeCut(scenario([toxic('reset_peer', 'upstream')]), 'L11')).toBe(false);
    expect(answersMayBeCut(scenario([toxic('latency', 'downstream')]), 'L11')).toBe(false);
    expect(answersMayBeCut(scenario([toxic('reset_peer', 'downstream')]), 'L5')).toBe(false);
    expect(
      answersMayBeCut(scenario([{ id: 'd', kind: 'proxy-down', target: { link: 'L11' }, startMs: 0 }]), 'L11'),
    ).toBe(true);
  });
});
