import { check, oracleResult, type OracleCheck, type OracleResult } from '../OracleResult.ts';
import type { BlackBoxInputWith } from './BlackBoxInput.ts';
import { groupCalls, groupingCheck, type Call } from './groupCalls.ts';
import { CLOCK_SLACK_MS } from './measures.ts';
import { MIN_PACING_SAMPLES, noTightLoop, retryJitter } from './retryPacing.ts';
import { retryWaits, type RetryWait } from './retryWaits.ts';

/** Methods that must not be sent twice without an Idempotency-Key. */
const NON_IDEMPOTENT = new Set(['POST', 'PATCH']);

/**
 * Retries seen only from the wire, per call (see `groupCalls` for how attempts are grouped):
 * - `call-grouping`: every request could be put into a call;
 * - `retries-observed`: at least `minRetries` retries (default 3), so retries switched off fail;
 * - `attempts-bounded`: no call makes more than `retry.attempts` attempts;
 * - `backoff-within-envelope`: each wait (failed attempt's end as the caller saw it → next start)
 *   lies in [0, ceiling + tolerance] with jitter, [ceiling, ceiling + tolerance] without (5 ms
 *   rounding below), ceiling = min(maxDelayMs, initialDelayMs * 2^(n-1)); a wait after a
 *   Retry-After may stretch to it;
 * - `no-tight-loop` and `retry-jitter`: see `retryPacing`;
 * - `unkeyed-post-retried`: a POST or PATCH without an Idempotency-Key reaches the dependency once
 *   (not a gRPC call of a method its proto marks idempotent: every gRPC call is a POST).
 */
export function blackBoxRetryOracle(input: BlackBoxInputWith<'retry'>): OracleResult {
  const promise = input.promise.retry;
  const jitter = promise.jitter ?? true;
  const grouping = groupCalls(input.requests, input.answers);
  const waits = retryWaits(grouping.calls, promise);
  const minRetries = input.minRetries ?? MIN_PACING_SAMPLES;
  return oracleResult(`black-box retry ${input.link}`, [
    groupingCheck(grouping),
    check(
      'retries-observed',
      waits.length >= minRetries,
      `${waits.length} retries over ${grouping.calls.length} calls (at least ${minRetries} needed)`,
    ),
    attemptsBounded(grouping.calls, promise.attempts),
    withinEnvelope(waits, jitter, input.toleranceMs),
    noTightLoop(waits),
    jitter ? retryJitter(waits) : check('retry-jitter', true, 'not promised (jitter: false)'),
    unkeyedPostRetried(grouping.calls),
  ]);
}

function attemptsBounded(calls: readonly Call[], attempts: number): OracleCheck {
  const over = calls.filter((call) => call.attempts.length > attempts);
  const most = Math.max(0, ...calls.map((call) => call.attempts.length));
  return check(
    'attempts-bounded',
    over.length === 0,
    `most attempts of one call ${most} (promise ${attempts})` +
      (over[0]
        ? `; ${over.length} call(s) over, e.g. ${over[0].method} ${over[0].path} with ${over[0].attempts.length}`
        : ''),
  );
}

function withinEnvelope(waits: readonly RetryWait[], jitter: boolean, toleranceMs: number): OracleCheck {
  const outside = waits.filter((wait) => {
    const floor = jitter || wait.retryAfterMs !== undefined ? 0 : wait.ceilingMs;
    const ceiling = Math.max(wait.ceilingMs, wait.retryAfterMs ?? 0);
    return wait.waitMs < floor - CLOCK_SLACK_MS || wait.waitMs > ceiling + toleranceMs;
  });
  const envelope = jitter ? '[0, ceiling + tolerance]' : '[ceiling, ceiling + tolerance]';
  const example = outside[0];
  return check(
    'backoff-within-envelope',
    outside.length === 0,
    `${waits.length - outside.length} of ${waits.length} waits inside ${envelope} (tolerance ${toleranceMs} ms)` +
      (example
        ? `; e.g. retry ${example.retry} of ${example.call.method} ${example.call.path} after ${example.waitMs} ms (ceiling ${example.ceilingMs} ms)`
        : ''),
  );
}

function unkeyedPostRetried(calls: readonly Call[]): OracleCheck {
  const unkeyed = calls.filter(
    (call) =>
      NON_IDEMPOTENT.has(call.method.toUpperCase()) &&
      call.attempts[0]?.idempotentByContract !== true &&
      call.attempts.every((a) => a.idempotencyKey === undefined),
  );
  const retried = unkeyed.filter((call) => call.attempts.length > 1);
  const safe = calls.filter((call) => call.attempts[0]?.idempotentByContract === true).length;
  const byContract = safe === 0 ? '' : ` (${safe} gRPC call(s) of methods their proto marks idempotent left out)`;
  return check(
    'unkeyed-post-retried',
    retried.length === 0,
    retried[0]
      ? `${retried.length} POST/PATCH call(s) without an Idempotency-Key reached the dependency more than once, ` +
          `e.g. ${retried[0].method} ${retried[0].path} ${retried[0].attempts.length} times`
      : `${unkeyed.length} POST/PATCH call(s) without an Idempotency-Key, none sent twice${byContract}`,
  );
}
