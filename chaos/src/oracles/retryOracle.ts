import type { ResilienceEvent } from '../observe/ResilienceLogCollector.ts';
import type { TappedRequest } from '../system/HttpTap.ts';
import type { PolicySettings } from '../observe/effectivePolicies.ts';
import { backoffCeiling, check, oracleResult, type OracleCheck, type OracleResult } from './OracleResult.ts';
import { callGroups } from './tapGroups.ts';

export interface RetryOracleInput {
  events: readonly ResilienceEvent[];
  service: string;
  dependency: string;
  settings: PolicySettings;
  /** What reached the dependency (the link's tap); undefined when the link is not tapped. */
  requests?: readonly TappedRequest[];
  minRetries: number;
  /** Bound on all attempts to the dependency during the scenario (no retry storm). */
  maxTotalAttempts?: number;
  toleranceMs: number;
  /**
   * A fault between the caller and the tap can cut an answer on its way back (a reset, a byte
   * limit, a timeout toxic downstream, the proxy down): the caller then fails before the tap has
   * written the answer, so a wait counted from the tap's answer would be shorter than the caller's.
   * The waits then count from each attempt's start at the tap.
   */
  answersMayBeCut?: boolean;
}

const idempotentMethods = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
/** A retry can never come sooner than its wait: only millisecond rounding is allowed for. */
const CLOCK_SLACK_MS = 5;

/**
 * Retries are bounded and well-behaved: at most `maxAttempts` attempts per call; each wait inside
 * the equal-jitter envelope [ceiling/2, ceiling] of exponential backoff (or an honoured
 * Retry-After); attempts really spaced that way at the dependency; a call's attempts all within
 * its deadline; a POST (or PATCH) retried only with an Idempotency-Key, the same on every attempt;
 * waits that vary at each retry (jitter); and no retry storm.
 */
export function retryOracle(input: RetryOracleInput): OracleResult {
  const { settings, toleranceMs } = input;
  const { maxAttempts, initialDelayMs, maxDelayMs, maxRetryAfterMs } = settings.retry;
  const own = input.events.filter((e) => e.service === input.service && e.dependency === input.dependency);
  const retries = own.filter((e): e is Extract<ResilienceEvent, { type: 'retry' }> => e.type === 'retry');
  const checks: OracleCheck[] = [];
  checks.push(
    check(
      'retries-observed',
      retries.length >= input.minRetries,
      `${retries.length} retries (at least ${input.minRetries} needed)`,
    ),
  );

  const groups = input.requests === undefined ? undefined : callGroups(input.requests);
  const overAttempts = retries.filter((r) => r.attempt > maxAttempts);
  const biggest = Math.max(0, ...(groups ?? []).map((g) => g.attempts.length));
  checks.push(
    check(
      'attempts-bounded',
      overAttempts.length === 0 && biggest <= maxAttempts,
      `max ${maxAttempts} attempts; highest retry attempt logged ${Math.max(0, ...retries.map((r) => r.attempt))}` +
        (groups ? `, most attempts of one call at the dependency ${biggest}` : ''),
    ),
  );

  const outside = retries.filter((r) => {
    const ceiling = backoffCeiling(r.attempt - 1, initialDelayMs, maxDelayMs);
    // The event does not say where its wait came from; a Retry-After is whole seconds.
    const honouredRetryAfter =
      /status (429|503)/.test(r.reason) && r.delayMs % 1000 === 0 && r.delayMs <= maxRetryAfterMs;
    return !honouredRetryAfter && (r.delayMs < ceiling / 2 - 1 || r.delayMs > ceiling + 1);
  });
  checks.push(
    check(
      'backoff-within-envelope',
      outside.length === 0,
      outside.length === 0
        ? `${retries.length} waits inside [ceiling/2, ceiling] (ceilings ${[1, 2, 3].map((k) => backoffCeiling(k, initialDelayMs, maxDelayMs)).join(', ')} ms)`
        : `${outside.length} wait(s) outside the envelope, e.g. attempt ${outside[0]?.attempt} after ${outside[0]?.delayMs} ms`,
    ),
  );

  checks.push(jitterCheck(retries, maxRetryAfterMs));

  if (groups === undefined) {
    checks.push(check('spacing-at-dependency', true, 'not observable: the link has no tap'));
  } else {
    const badGaps: string[] = [];
    let spans = 0;
    const deadline =
      (maxAttempts - 1) * settings.timeoutMs +
      Array.from({ length: maxAttempts - 1 }, (_, k) => backoffCeiling(k + 1, initialDelayMs, maxDelayMs)).reduce(
        (a, b) => a + b,
        0,
      );
    const overDeadline: string[] = [];
    for (const group of groups.filter((g) => g.attempts.length > 1)) {
      group.attempts.forEach((attempt, index) => {
        const previous = group.attempts[index - 1];
        if (!previous) return;
        const ceiling = backoffCeiling(index, initialDelayMs, maxDelayMs);
        const gap = attempt.startMs - previous.startMs;
        // When the previous attempt was answered, the wait counts from its answer: the tap wrote it
        // back before the caller read it, so this never counts less than the caller waited (measured
        // from the previous attempt's start, a slow answer hid a client that retried at once) —
        // unless a fault can cut answers on their way back (answersMayBeCut). An attempt the caller
        // gave up on has no such moment at the tap: its wait counts from its start.
        const answered =
          input.answersMayBeCut !== true &&
          previous.status !== undefined &&
          !previous.callerGone &&
          previous.endMs > 0 &&
          previous.endMs <= attempt.startMs;
        const waited = answered ? attempt.startMs - previous.endMs : gap;
        const asked =
          previous.retryAfterMs !== undefined && previous.retryAfterMs <= maxRetryAfterMs
            ? previous.retryAfterMs
            : undefined;
        const floor = asked ?? ceiling / 2;
        if (waited < floor - CLOCK_SLACK_MS) {
          badGaps.push(
            `${group.method} ${group.path}: attempt ${index + 1} came ${waited} ms after attempt ${index} ${answered ? 'was answered' : 'began'} (at least ${floor} ms expected)`,
          );
        } else if (gap > settings.timeoutMs + (asked ?? ceiling) + toleranceMs) {
          badGaps.push(`${group.method} ${group.path}: attempt ${index + 1} came ${gap} ms after attempt ${index}`);
        }
      });
      spans++;
      const span = (group.attempts.at(-1)?.startMs ?? 0) - (group.attempts[0]?.startMs ?? 0);
      if (span > deadline + toleranceMs)
        overDeadline.push(`${group.method} ${group.path}: attempts spread over ${span} ms`);
    }
    checks.push(
      check(
        'spacing-at-dependency',
        badGaps.length === 0,
        badGaps.length === 0
          ? `${spans} retried call(s) spaced by their backoff at the dependency`
          : badGaps.slice(0, 3).join('; '),
      ),
    );
    checks.push(
      check(
        'within-deadline',
        overDeadline.length === 0,
        overDeadline.length === 0 ? `every retried call within ${deadline} ms` : overDeadline.slice(0, 3).join('; '),
      ),
    );
    // A gRPC call is a POST on the wire: its method's idempotency comes from the link's proto.
    const unsafe = groups.filter(
      (group) => !idempotentMethods.has(group.method.toUpperCase()) && group.attempts[0]?.idempotentByContract !== true,
    );
    const violations = unsafe.filter((group) => {
      if (group.attempts.length < 2) return false;
      const keys = new Set(group.attempts.map((attempt) => attempt.idempotencyKey));
      return keys.has(undefined) || keys.size > 1;
    });
    const keyedRetried = unsafe.filter(
      (g) => g.attempts.length > 1 && g.attempts[0]?.idempotencyKey !== undefined,
    ).length;
    const unkeyed = unsafe.filter((g) => g.attempts[0]?.idempotencyKey === undefined).length;
    const byContract = groups.filter((g) => g.attempts[0]?.idempotentByContract === true).length;
    checks.push(
      check(
        'non-idempotent-retried-only-with-key',
        violations.length === 0,
        violations.length === 0
          ? `${keyedRetried} keyed POST/PATCH call(s) retried with their one key; ${unkeyed} unkeyed one(s) seen, none retried` +
              (byContract === 0 ? '' : `; ${byContract} gRPC call(s) of methods their proto marks idempotent left out`)
          : `${violations.length} ${violations[0]?.method} ${violations[0]?.path} call(s) retried without a (constant) Idempotency-Key`,
      ),
    );
  }

  if (input.maxTotalAttempts !== undefined) {
    const attempts = own.filter((e) => e.type === 'call').length;
    const reached = input.requests?.length ?? 0;
    checks.push(
      check(
        'no-retry-storm',
        attempts <= input.maxTotalAttempts && reached <= input.maxTotalAttempts,
        `${attempts} attempts logged, ${reached} reached the dependency (bound ${input.maxTotalAttempts})`,
      ),
    );
  }
  return oracleResult(`retry ${input.service} → ${input.dependency}`, checks);
}

/** Waits at one retry index needed before their spread is judged. */
const JITTER_SAMPLES = 3;

/**
 * `retry-jitter`: the waits the log shows at one retry index (those following a Retry-After left
 * out) are not all the same. A fixed delay, even one inside the envelope, makes every caller
 * retry in lockstep; the kit's equal jitter spreads them over [ceiling/2, ceiling]. The log's
 * delays are exact, so a spread of more than 1 ms is enough to tell.
 */
function jitterCheck(
  retries: ReadonlyArray<Extract<ResilienceEvent, { type: 'retry' }>>,
  maxRetryAfterMs: number,
): OracleCheck {
  const byAttempt = new Map<number, number[]>();
  for (const retry of retries) {
    const followsRetryAfter =
      /status (429|503)/.test(retry.reason) && retry.delayMs % 1000 === 0 && retry.delayMs <= maxRetryAfterMs;
    if (followsRetryAfter) continue;
    byAttempt.set(retry.attempt, [...(byAttempt.get(retry.attempt) ?? []), retry.delayMs]);
  }
  const judged = [...byAttempt.entries()].filter(([, delays]) => delays.length >= JITTER_SAMPLES);
  if (judged.length === 0)
    return check('retry-jitter', true, `not judged: fewer than ${JITTER_SAMPLES} waits at any one retry`);
  const spreads = judged.map(([attempt, delays]) => ({
    attempt,
    count: delays.length,
    low: Math.min(...delays),
    high: Math.max(...delays),
  }));
  return check(
    'retry-jitter',
    spreads.every((one) => one.high - one.low > 1),
    spreads.map((one) => `attempt ${one.attempt}: ${one.count} waits ${one.low}–${one.high} ms`).join('; '),
  );
}
