import { afterEach, describe, expect, it } from 'vitest';
import { breakerOracle, type BreakerOracleInput } from '../src/oracles/breakerOracle.ts';
import type { OracleResult } from '../src/oracles/OracleResult.ts';
import { call, policyHarness, sleep, type PolicyHarness } from './support/policyHarness.ts';

/** The breaker the oracle is told about: threshold 3, half-open after 300 ms. */
const expected = {
  timeoutMs: 200,
  retry: { maxAttempts: 2, initialDelayMs: 20, maxDelayMs: 40 },
  breaker: { threshold: 3, halfOpenAfterMs: 300 },
};

let harness: PolicyHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Fails the dependency, drives calls into the open breaker, waits, heals it, probes, and calls again. */
async function tripAndHeal(h: PolicyHarness, options: { waitBeforeProbeMs: number; heal: boolean }): Promise<void> {
  h.behaviour.status = 503;
  for (let n = 0; n < 6; n++) await call(h);
  await sleep(options.waitBeforeProbeMs);
  if (options.heal) h.behaviour.status = 200;
  await call(h);
  for (let n = 0; n < 3; n++) await call(h);
}

function judge(h: PolicyHarness, startMs: number, overrides: Partial<BreakerOracleInput> = {}): OracleResult {
  const settings = { ...h.settings, breaker: expected.breaker, retry: { ...h.settings.retry, ...expected.retry } };
  return breakerOracle({
    events: h.events(),
    service: 'order',
    dependency: 'payment',
    settings,
    requests: h.tap.records(),
    closesAgain: true,
    startMs,
    toleranceMs: 20,
    ...overrides,
  });
}

const failed = (result: OracleResult): string[] => result.checks.filter((c) => !c.passed).map((c) => c.name);

describe('breaker oracle', () => {
  it('passes the kit breaker: opens at its threshold, short-circuits, one half-open probe, closes again', async () => {
    harness = await policyHarness('payment', expected);
    const start = Date.now();
    await tripAndHeal(harness, { waitBeforeProbeMs: 350, heal: true });
    const result = judge(harness, start);
    expect(failed(result)).toEqual([]);
    expect(result.checks.map((c) => c.name)).toEqual([
      'opens',
      'opens-at-threshold',
      'short-circuits-while-open',
      'no-calls-reach-dependency-while-open',
      'half-open-after-delay',
      'single-probe-when-half-open',
      'closes-again',
    ]);
  });

  it('catches a disabled breaker (threshold set absurdly high)', async () => {
    harness = await policyHarness('payment', { ...expected, breaker: { threshold: 1_000_000, halfOpenAfterMs: 300 } });
    const start = Date.now();
    await tripAndHeal(harness, { waitBeforeProbeMs: 0, heal: true });
    expect(failed(judge(harness, start))).toEqual(['opens']);
  });

  it('catches a breaker that opens before its threshold', async () => {
    harness = await policyHarness('payment', { ...expected, breaker: { threshold: 1, halfOpenAfterMs: 300 } });
    const start = Date.now();
    await tripAndHeal(harness, { waitBeforeProbeMs: 350, heal: true });
    expect(failed(judge(harness, start))).toContain('opens-at-threshold');
  });

  it('catches a breaker that turns half-open too soon', async () => {
    harness = await policyHarness('payment', { ...expected, breaker: { threshold: 3, halfOpenAfterMs: 50 } });
    const start = Date.now();
    await tripAndHeal(harness, { waitBeforeProbeMs: 80, heal: true });
    expect(failed(judge(harness, start))).toEqual(['half-open-after-delay']);
  });

  it('catches calls that reach the dependency while the circuit is open (a client bypassing it)', async () => {
    harness = await policyHarness('payment', expected);
    const start = Date.now();
    harness.behaviour.status = 503;
    for (let n = 0; n < 4; n++) await call(harness);
    await sleep(60);
    await (
      await fetch(`${harness.url}/charges`, { headers: { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` } })
    ).arrayBuffer();
    await sleep(350);
    harness.behaviour.status = 200;
    for (let n = 0; n < 3; n++) await call(harness);
    expect(failed(judge(harness, start))).toEqual(['no-calls-reach-dependency-while-open']);
  });

  it('catches a half-open breaker that lets more than one probe through', async () => {
    harness = await policyHarness('payment', expected);
    const start = Date.now();
    harness.behaviour.status = 503;
    for (let n = 0; n < 4; n++) await call(harness);
    await sleep(350);
    harness.behaviour.status = 200;
    harness.behaviour.delayMs = 60;
    const probe = call(harness);
    await sleep(15);
    await (
      await fetch(`${harness.url}/charges`, { headers: { traceparent: `00-${'c'.repeat(32)}-${'d'.repeat(16)}-01` } })
    ).arrayBuffer();
    await probe;
    for (let n = 0; n < 2; n++) await call(harness);
    expect(failed(judge(harness, start))).toEqual(['single-probe-when-half-open']);
  });

  it('catches a breaker that never closes again when it must', async () => {
    harness = await policyHarness('payment', expected);
    const start = Date.now();
    await tripAndHeal(harness, { waitBeforeProbeMs: 350, heal: false });
    expect(failed(judge(harness, start))).toEqual(['closes-again']);
  });

  it('checks the event log alone when the link has no tap', async () => {
    harness = await policyHarness('payment', expected);
    const start = Date.now();
    await tripAndHeal(harness, { waitBeforeProbeMs: 350, heal: true });
    const result = breakerOracle({
      events: harness.events(),
      service: 'order',
      dependency: 'payment',
      settings: { ...harness.settings, breaker: expected.breaker },
      closesAgain: true,
      startMs: start,
      toleranceMs: 20,
    });
    expect(failed(result)).toEqual([]);
    expect(result.checks.find((c) => c.name === 'no-calls-reach-dependency-while-open')?.detail).toContain('event log');
  });
});
