import { afterEach, describe, expect, it } from 'vitest';
import { bulkheadOracle } from '../src/oracles/bulkheadOracle.ts';
import type { OracleResult } from '../src/oracles/OracleResult.ts';
import type { ResponseRecord } from '../src/workload/ResponseRecord.ts';
import { call, policyHarness, type PolicyHarness } from './support/policyHarness.ts';

/** What the oracle is told: 2 calls at a time, none queued. */
const expected = {
  timeoutMs: 1_000,
  bulkhead: { limit: 2, queue: 0 },
  breaker: { threshold: 100, halfOpenAfterMs: 5_000 },
};

let harness: PolicyHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Eight calls at once against a dependency that takes 150 ms; what each caller got, as the workload records it. */
async function burst(h: PolicyHarness): Promise<ResponseRecord[]> {
  h.behaviour.delayMs = 150;
  return Promise.all(
    Array.from({ length: 8 }, async (_, n): Promise<ResponseRecord> => {
      const startMs = Date.now();
      const outcome = await call(h, { method: 'GET', path: `/charges?n=${n}` });
      const refused = outcome === 'bulkhead_full';
      return {
        stream: 'burst',
        kind: 'place',
        key: String(n),
        startMs,
        endMs: Date.now(),
        status: refused ? 503 : Number(outcome),
        retryAfter: refused ? '1' : undefined,
        orderId: undefined,
        problemCode: refused ? 'DEPENDENCY_UNAVAILABLE' : undefined,
        detail: refused ? 'inventory is unavailable (bulkhead full)' : undefined,
        bodyIntact: true,
      };
    }),
  );
}

function judge(h: PolicyHarness, responses: ResponseRecord[], fastRejectMs = 100): OracleResult {
  return bulkheadOracle({
    events: h.events(),
    service: 'order',
    dependency: 'payment',
    settings: { ...h.settings, bulkhead: expected.bulkhead },
    requests: h.tap.records(),
    responses,
    minRejections: 1,
    fastRejectMs,
    toleranceMs: 5,
  });
}

const failed = (result: OracleResult): string[] => result.checks.filter((c) => !c.passed).map((c) => c.name);

describe('bulkhead oracle', () => {
  it('passes the kit bulkhead: two calls in flight at the dependency, the rest refused at once', async () => {
    harness = await policyHarness('payment', expected);
    const responses = await burst(harness);
    expect(responses.filter((r) => r.status === 503)).toHaveLength(6);
    expect(failed(judge(harness, responses))).toEqual([]);
  });

  it('catches a bulkhead that lets more calls through than its limit', async () => {
    harness = await policyHarness('payment', { ...expected, bulkhead: { limit: 6, queue: 0 } });
    const responses = await burst(harness);
    expect(failed(judge(harness, responses))).toEqual(['concurrency-capped']);
  });

  it('catches a bulkhead that queues everything instead of rejecting the excess', async () => {
    harness = await policyHarness('payment', { ...expected, bulkhead: { limit: 2, queue: 50 } });
    const responses = await burst(harness);
    expect(failed(judge(harness, responses))).toEqual(['excess-rejected', 'rejected-fast']);
  });

  it('catches refusals that come back slowly', async () => {
    harness = await policyHarness('payment', expected);
    const responses = (await burst(harness)).map((r) => (r.status === 503 ? { ...r, endMs: r.startMs + 900 } : r));
    expect(failed(judge(harness, responses))).toEqual(['rejected-fast']);
  });
});
