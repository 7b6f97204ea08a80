import { describe, expect, it } from 'vitest';
import { blackBoxBulkheadOracle } from '../../src/oracles/blackbox/blackBoxBulkheadOracle.ts';
import type { OracleResult } from '../../src/oracles/OracleResult.ts';
import { answer, attempt, detailOf, failedChecks, LINK, type Wire } from './wire.ts';

/** The promise: at most 2 calls in flight; refusals within max(100, 200 / 2) = 100 ms. */
const promise = { timeoutMs: 200, bulkhead: { limit: 2 } };
const fault = { startMs: 0, endMs: 1_000 };

const judge = (wire: Wire): OracleResult =>
  blackBoxBulkheadOracle({ link: LINK, ...wire, promise, fault, toleranceMs: 20 });

/** Four calls at once against a slow (300 ms) dependency, `admitted` of them reaching it. */
function burstOfFour(admitted: number, refuse: (startMs: number) => Wire): Wire {
  const wire: Wire = { requests: [], answers: [] };
  for (let n = 0; n < 4; n++) {
    const at = n;
    const part = n < admitted ? { requests: [attempt(at, 300)], answers: [answer(at, 302, 200)] } : refuse(at);
    wire.requests.push(...part.requests);
    wire.answers.push(...part.answers);
  }
  return wire;
}

const refusedAtOnce = (at: number): Wire => ({ requests: [], answers: [answer(at, 2, 503)] });

describe('black-box bulkhead oracle', () => {
  it('passes a caller that keeps 2 calls in flight and refuses the excess at once', () => {
    const result = judge(burstOfFour(2, refusedAtOnce));
    expect(failedChecks(result)).toEqual([]);
    expect(detailOf(result, 'excess-rejected-fast')).toBe(
      'the workload had up to 4 calls open at once (limit 2); 2 refused within 100 ms (max(100, timeoutMs / 2))',
    );
  });

  it('fails naming concurrency-capped when more calls than the limit are in flight at the dependency', () => {
    const result = judge(burstOfFour(3, refusedAtOnce));
    expect(failedChecks(result)).toEqual(['concurrency-capped']);
    expect(detailOf(result, 'concurrency-capped')).toContain('at most 3 attempts in flight at the dependency (limit 2');
  });

  it('fails naming excess-rejected-fast when the excess queues behind the slow dependency instead', () => {
    const queued = (at: number): Wire => ({ requests: [attempt(302, 300)], answers: [answer(at, 604, 200)] });
    expect(failedChecks(judge(burstOfFour(2, queued)))).toEqual(['excess-rejected-fast']);
  });

  it('fails naming excess-rejected-fast when the workload never offered more than the limit', () => {
    const result = judge({
      requests: [attempt(0, 300), attempt(1, 300)],
      answers: [answer(0, 302, 200), answer(1, 302, 200)],
    });
    expect(failedChecks(result)).toEqual(['excess-rejected-fast']);
    expect(detailOf(result, 'excess-rejected-fast')).toContain('the bulkhead was never exercised');
  });
});
