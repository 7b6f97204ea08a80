import { answer, attempt, type SerialWorkload, type Wire } from './wire.ts';

/** How a simulated caller's breaker behaves (what it really does, not what it promises). */
export interface BreakerBehaviour {
  threshold: number;
  halfOpenAfterMs: number;
  /** false: the caller has no breaker at all. */
  breaker?: boolean;
  /** Attempts let through at once when half-open (a correct breaker: 1). */
  probes?: number;
  /** How long a short-circuited call takes to answer, and with what. */
  openAnswerMs?: number;
  openStatus?: number;
}

/**
 * A caller with a consecutive-failures breaker under a serial workload; the dependency answers
 * 503 to every attempt sent while the fault is in force.
 */
export function breakerCaller(behaviour: BreakerBehaviour, workload: SerialWorkload): Wire {
  const wire: Wire = { requests: [], answers: [] };
  let t = 0;
  let failures = 0;
  let openedAt: number | undefined;
  for (let call = 0; call < workload.calls; call++) {
    t = Math.max(t, call * workload.everyMs);
    if (openedAt !== undefined && t < openedAt + behaviour.halfOpenAfterMs) {
      const took = behaviour.openAnswerMs ?? 1;
      wire.answers.push(answer(t, took, behaviour.openStatus ?? 503));
      t += took;
      continue;
    }
    const faulty = t >= workload.fault.startMs && t < workload.fault.endMs;
    const status = faulty ? 503 : 200;
    const together = openedAt === undefined ? 1 : (behaviour.probes ?? 1);
    for (let n = 0; n < together; n++) {
      wire.requests.push(attempt(t, workload.attemptMs, { status }));
      wire.answers.push(answer(t, workload.attemptMs + 1, status));
    }
    t += workload.attemptMs + 1;
    if (!faulty) {
      failures = 0;
      openedAt = undefined;
      continue;
    }
    failures++;
    if (behaviour.breaker !== false && (openedAt !== undefined || failures >= behaviour.threshold)) openedAt = t - 1;
  }
  return wire;
}
