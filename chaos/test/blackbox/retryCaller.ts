import { backoffCeiling } from '../../src/oracles/OracleResult.ts';
import { answer, attempt, seededRandom, type SerialWorkload, type Wire } from './wire.ts';

/** How a simulated caller retries (what it really does, not what it promises). */
export interface RetryBehaviour {
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** The wait before a retry, given its ceiling (default: full jitter, uniform in [0, ceiling]). */
  wait?: (ceilingMs: number, random: () => number) => number;
  method?: string;
  /** Sends an Idempotency-Key with each call, the same on every attempt (default true). */
  keyed?: boolean;
  /** Sends a traceparent: one trace-id per call, a new parent-id per attempt. */
  traced?: boolean;
  /** Retries a POST or PATCH even without a key (a bug). */
  retriesUnkeyed?: boolean;
}

const fullJitter = (ceilingMs: number, random: () => number): number => Math.round(ceilingMs * random());

/** A retrying caller under a serial workload; the dependency fails (503) the first `failFirst` attempts of each call. */
export function retryCaller(behaviour: RetryBehaviour, workload: SerialWorkload & { failFirst: number }): Wire {
  const wire: Wire = { requests: [], answers: [] };
  const random = seededRandom(7);
  const method = behaviour.method ?? 'GET';
  const keyed = behaviour.keyed ?? true;
  const mayRetry = keyed || behaviour.retriesUnkeyed === true || !['POST', 'PATCH'].includes(method);
  let t = 0;
  for (let call = 0; call < workload.calls; call++) {
    t = Math.max(t, call * workload.everyMs);
    const start = t;
    const key = keyed ? `call-${call}` : undefined;
    const traceId = call.toString(16).padStart(32, '0');
    let status = 0;
    for (let n = 1; n <= behaviour.attempts; n++) {
      status = n <= workload.failFirst ? 503 : 200;
      wire.requests.push(
        attempt(t, workload.attemptMs, {
          method,
          status,
          idempotencyKey: key,
          traceparent: behaviour.traced ? `00-${traceId}-${n.toString(16).padStart(16, '0')}-01` : undefined,
        }),
      );
      t += workload.attemptMs;
      if (status < 500 || n === behaviour.attempts || !mayRetry) break;
      const ceiling = backoffCeiling(n, behaviour.initialDelayMs, behaviour.maxDelayMs);
      t += (behaviour.wait ?? fullJitter)(ceiling, random);
    }
    wire.answers.push(answer(start, t + 1 - start, status, key));
    t += 1;
  }
  return wire;
}
