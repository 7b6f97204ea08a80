import { backoffCeiling } from '../OracleResult.ts';
import { callerEndOf } from '../tapGroups.ts';
import type { Call } from './groupCalls.ts';
import type { RetryPromise } from './LinkResilience.ts';

/** The wait before one retry, as the wire shows it. */
export interface RetryWait {
  call: Call;
  /** 1 = the first retry (the call's second attempt). */
  retry: number;
  /** From the end of the failed attempt as the caller saw it (its answer, or the caller giving up) to the retry's start. */
  waitMs: number;
  /** The promise's ceiling for this retry: min(maxDelayMs, initialDelayMs * 2^(retry-1)). */
  ceilingMs: number;
  /** The Retry-After the dependency asked for on the failed attempt, if any. */
  retryAfterMs: number | undefined;
}

export function retryWaits(calls: readonly Call[], promise: RetryPromise): RetryWait[] {
  return calls.flatMap((call) =>
    call.attempts.slice(1).map((attempt, index) => {
      const previous = call.attempts[index] ?? attempt;
      return {
        call,
        retry: index + 1,
        waitMs: attempt.startMs - callerEndOf(previous),
        ceilingMs: backoffCeiling(index + 1, promise.initialDelayMs, promise.maxDelayMs),
        retryAfterMs: previous.retryAfterMs,
      };
    }),
  );
}
