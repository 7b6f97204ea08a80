import { describe, expect, it } from 'vitest';
import { answerBudgetMs, blackBoxTimeoutOracle } from '../../src/oracles/blackbox/blackBoxTimeoutOracle.ts';
import type { OracleResult } from '../../src/oracles/OracleResult.ts';
import { answer, attempt, detailOf, failedChecks, LINK, type Wire } from './wire.ts';

/** The promise: 100 ms per attempt, 2 attempts, 50 ms backoff ceiling: budget 100 × 2 + 50 + 20 = 270 ms. */
const promise = { timeoutMs: 100, retry: { attempts: 2, initialDelayMs: 50, maxDelayMs: 50 } };
const fault = { startMs: 0, endMs: 1_500 };
const toleranceMs = 20;

const judge = (wire: Wire): OracleResult => blackBoxTimeoutOracle({ link: LINK, ...wire, promise, fault, toleranceMs });

/** An attempt the dependency never answered in time: the caller gave up on it after `heldMs`. */
const abandoned = (startMs: number, heldMs: number) =>
  attempt(startMs, 5_000, { status: undefined, callerGone: true, callerGoneMs: startMs + heldMs });

/** Five serial calls while the dependency hangs, each as `call` builds it from its start. */
function hangingDependency(call: (startMs: number) => Wire): Wire {
  const wires = [0, 300, 600, 900, 1_200].map(call);
  return { requests: wires.flatMap((w) => w.requests), answers: wires.flatMap((w) => w.answers) };
}

describe('black-box timeout oracle', () => {
  it('states the budget as timeoutMs × attempts + backoff ceilings + tolerance', () => {
    expect(answerBudgetMs(promise, toleranceMs)).toBe(270);
    expect(answerBudgetMs({ timeoutMs: 100 }, 0)).toBe(100);
    expect(answerBudgetMs({ timeoutMs: 100, retry: { attempts: 4, initialDelayMs: 50, maxDelayMs: 120 } }, 0)).toBe(
      400 + 50 + 100 + 120,
    );
  });

  it('passes a caller that gives up each attempt at its timeout and answers within the budget', () => {
    const result = judge(
      hangingDependency((t) => ({
        requests: [abandoned(t, 100), abandoned(t + 130, 100)],
        answers: [answer(t, 232, 504)],
      })),
    );
    expect(failedChecks(result)).toEqual([]);
    expect(detailOf(result, 'answers-within-budget')).toContain('slowest 232 ms, 0 over the budget of 270 ms');
  });

  it('fails naming answers-within-budget when the caller answers after its budget', () => {
    const result = judge(
      hangingDependency((t) => ({
        requests: [abandoned(t, 100), abandoned(t + 250, 100)],
        answers: [answer(t, 352, 504)],
      })),
    );
    expect(failedChecks(result)).toEqual(['answers-within-budget']);
  });

  it('fails naming never-hangs when the caller never answers (the workload gives up after 5 s)', () => {
    const result = judge(hangingDependency((t) => ({ requests: [abandoned(t, 100)], answers: [answer(t, 5_000, 0)] })));
    expect(failedChecks(result)).toEqual(['answers-within-budget', 'never-hangs']);
    expect(detailOf(result, 'never-hangs')).toContain('5 call(s) left without an answer beyond the 270 ms budget');
  });

  it('fails naming attempts-abandoned-at-timeout when the caller waits on the dependency past its timeout', () => {
    const result = judge(
      hangingDependency((t) => ({
        requests: [attempt(t, 180, { status: 504 })],
        answers: [answer(t, 182, 504)],
      })),
    );
    expect(failedChecks(result)).toEqual(['attempts-abandoned-at-timeout']);
    expect(detailOf(result, 'attempts-abandoned-at-timeout')).toContain('the caller waited on the longest 180 ms');
  });
});
