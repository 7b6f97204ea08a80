import { check, oracleResult, type OracleResult } from '../OracleResult.ts';
import { maxConcurrency } from '../tapGroups.ts';
import type { BlackBoxInputWith } from './BlackBoxInput.ts';
import { answerLatency, isRefusal } from './CallerAnswer.ts';
import { fastAnswerMs, peakOverlap } from './measures.ts';

/**
 * A bulkhead seen only from the wire:
 * - `concurrency-capped`: at most `limit` attempts in flight at the dependency at once (each
 *   counted as ending `toleranceMs` early: the caller frees its slot when it sees the end, which
 *   the tap stamps a little later or earlier);
 * - `excess-rejected-fast`: the workload had more than `limit` calls open at once (else the
 *   bulkhead was never exercised, which fails too), and some were refused within
 *   max(100 ms, timeoutMs / 2).
 */
export function blackBoxBulkheadOracle(input: BlackBoxInputWith<'bulkhead'>): OracleResult {
  const { limit } = input.promise.bulkhead;
  const peak = maxConcurrency(input.requests, input.toleranceMs);
  const offered = peakOverlap(input.answers);
  const fastMs = fastAnswerMs(input.promise);
  const refusedFast = input.answers.filter((a) => isRefusal(a) && answerLatency(a) <= fastMs);
  return oracleResult(`black-box bulkhead ${input.link}`, [
    check(
      'concurrency-capped',
      peak <= limit,
      `at most ${peak} attempts in flight at the dependency (limit ${limit}; ${input.requests.length} attempts)`,
    ),
    check(
      'excess-rejected-fast',
      offered > limit && refusedFast.length > 0,
      offered <= limit
        ? `the workload had at most ${offered} calls open at once (limit ${limit}): the bulkhead was never exercised`
        : `the workload had up to ${offered} calls open at once (limit ${limit}); ${refusedFast.length} refused ` +
            `within ${fastMs} ms (max(100, timeoutMs / 2))`,
    ),
  ]);
}
