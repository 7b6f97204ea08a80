import { backoffCeiling, check, oracleResult, type OracleResult } from '../OracleResult.ts';
import { callerEndOf } from '../tapGroups.ts';
import type { BlackBoxInputWith } from './BlackBoxInput.ts';
import { answerLatency } from './CallerAnswer.ts';
import type { LinkResilience } from './LinkResilience.ts';

/**
 * The longest a caller may take to answer one call while its dependency hangs:
 * timeoutMs * attempts + the backoff ceilings of every retry + tolerance
 * (attempts = retry.attempts, or 1 without retries).
 */
export function answerBudgetMs(promise: LinkResilience & { timeoutMs: number }, toleranceMs: number): number {
  const attempts = promise.retry?.attempts ?? 1;
  let backoff = 0;
  for (let retry = 1; retry < attempts; retry++)
    backoff += backoffCeiling(retry, promise.retry?.initialDelayMs ?? 0, promise.retry?.maxDelayMs ?? 0);
  return promise.timeoutMs * attempts + backoff + toleranceMs;
}

/**
 * Timeouts seen only from the wire, over the calls started while the dependency hung (or was slow):
 * - `answers-within-budget`: at least one call was answered, each within `answerBudgetMs`;
 * - `never-hangs`: no call is left without an answer for longer than the budget (status 0 after
 *   less than the budget is the workload giving up first, and is only reported);
 * - `attempts-abandoned-at-timeout`: no attempt at the dependency lasts, as the caller saw it,
 *   longer than timeoutMs + tolerance.
 */
export function blackBoxTimeoutOracle(input: BlackBoxInputWith<'timeoutMs'>): OracleResult {
  const { fault, toleranceMs, promise } = input;
  const budgetMs = answerBudgetMs(promise, toleranceMs);
  const formula = `${promise.timeoutMs} × ${promise.retry?.attempts ?? 1} attempts + backoff ceilings + ${toleranceMs} tolerance`;
  const during = input.answers.filter((a) => a.startMs >= fault.startMs && a.startMs < fault.endMs);
  const answered = during.filter((a) => a.status !== 0);
  const late = answered.filter((a) => answerLatency(a) > budgetMs);
  const missing = during.filter((a) => a.status === 0);
  const hung = missing.filter((a) => answerLatency(a) > budgetMs);
  const attempts = input.requests.filter((r) => r.startMs >= fault.startMs && r.startMs < fault.endMs);
  const held = attempts.filter((r) => callerEndOf(r) - r.startMs > promise.timeoutMs + toleranceMs);
  const slowest = (latencies: number[]): number => Math.max(0, ...latencies);
  return oracleResult(`black-box timeout ${input.link}`, [
    check(
      'answers-within-budget',
      answered.length > 0 && late.length === 0,
      answered.length === 0
        ? `no call started during the fault was answered (${during.length} started)`
        : `${answered.length} calls answered during the fault, slowest ${slowest(answered.map(answerLatency))} ms, ` +
            `${late.length} over the budget of ${budgetMs} ms (${formula})`,
    ),
    check(
      'never-hangs',
      hung.length === 0,
      `${hung.length} call(s) left without an answer beyond the ${budgetMs} ms budget` +
        (hung.length > 0 ? ` (longest ${slowest(hung.map(answerLatency))} ms)` : '') +
        `; ${missing.length - hung.length} given up by the workload within it`,
    ),
    check(
      'attempts-abandoned-at-timeout',
      held.length === 0,
      `${attempts.length} attempts reached the dependency during the fault; the caller waited on the longest ` +
        `${slowest(attempts.map((r) => callerEndOf(r) - r.startMs))} ms (timeout ${promise.timeoutMs} ms + ${toleranceMs} tolerance); ` +
        `${held.length} held longer`,
    ),
  ]);
}
