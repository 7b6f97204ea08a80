import type { ResilienceEvent } from '../observe/ResilienceLogCollector.ts';
import type { TappedRequest } from '../system/HttpTap.ts';
import type { PolicySettings } from '../observe/effectivePolicies.ts';
import { latencyOf, percentile, type ResponseRecord } from '../workload/ResponseRecord.ts';
import { check, oracleResult, type OracleCheck, type OracleResult } from './OracleResult.ts';
import { maxConcurrency } from './tapGroups.ts';

export interface BulkheadOracleInput {
  events: readonly ResilienceEvent[];
  service: string;
  dependency: string;
  settings: PolicySettings;
  /** What reached the dependency (the link's tap). */
  requests?: readonly TappedRequest[];
  /** The workload's answers: those refused for a full bulkhead must come back fast. */
  responses: readonly ResponseRecord[];
  minRejections: number;
  fastRejectMs: number;
  toleranceMs: number;
}

/**
 * The bulkhead pattern: no more than `limit` calls to the dependency in flight at once (counted
 * at the dependency, as the caller saw each call end), the excess rejected, and rejected quickly
 * instead of piling up behind the slow dependency (95 % of the refusals within `fastRejectMs`).
 */
export function bulkheadOracle(input: BulkheadOracleInput): OracleResult {
  const own = input.events.filter((e) => e.service === input.service && e.dependency === input.dependency);
  const checks: OracleCheck[] = [];
  const limit = input.settings.bulkhead.limit;
  if (input.requests === undefined) {
    checks.push(check('concurrency-capped', false, 'not observable: the link has no tap'));
  } else {
    const peak = maxConcurrency(input.requests, input.toleranceMs);
    checks.push(
      check(
        'concurrency-capped',
        peak <= limit,
        `at most ${peak} calls in flight at the dependency (limit ${limit}; ${input.requests.length} calls)`,
      ),
    );
  }
  const rejected = own.filter((e) => e.type === 'bulkhead_rejected').length;
  checks.push(
    check('excess-rejected', rejected >= input.minRejections, `${rejected} calls rejected by the full bulkhead`),
  );
  const refused = input.responses.filter((r) => r.status === 503 && /bulkhead/i.test(r.detail ?? ''));
  const p95 = percentile(refused.map(latencyOf), 0.95);
  checks.push(
    check(
      'rejected-fast',
      refused.length > 0 && p95 <= input.fastRejectMs,
      refused.length === 0
        ? 'no answer said the bulkhead was full'
        : `${refused.length} answers refused for a full bulkhead: p95 ${p95} ms, slowest ${Math.max(...refused.map(latencyOf))} ms (bound on p95 ${input.fastRejectMs} ms)`,
    ),
  );
  return oracleResult(`bulkhead ${input.service} → ${input.dependency}`, checks);
}
