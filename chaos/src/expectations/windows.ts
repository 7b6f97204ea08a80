import type { ResilienceEvent } from '../observe/ResilienceLogCollector.ts';
import { breakerIntervals, transitionsOf } from '../oracles/breakerStates.ts';
import type { Window } from '../scenario/Scenario.ts';

/** When each fault was actually injected and lifted (epoch ms). */
export interface FaultTimes {
  injectedAtMs?: number;
  liftedAtMs?: number;
}

export interface WindowContext {
  t0: number;
  endMs: number;
  faults: ReadonlyMap<string, FaultTimes>;
  events: readonly ResilienceEvent[];
}

/** True when the whole span [startMs, endMs] lies in the window. */
export function spanInWindow(window: Window, startMs: number, endMs: number, context: WindowContext): boolean {
  if ('all' in window) return true;
  if ('duringFault' in window) {
    const times = context.faults.get(window.duringFault);
    if (times?.injectedAtMs === undefined) return false;
    return startMs >= times.injectedAtMs && endMs <= (times.liftedAtMs ?? context.endMs);
  }
  if ('afterFault' in window) {
    const lifted = context.faults.get(window.afterFault)?.liftedAtMs;
    return lifted !== undefined && startMs >= lifted;
  }
  if ('whileBreaker' in window) {
    const { service, dependency, state } = window.whileBreaker;
    return breakerIntervals(context.events, service, dependency, context.t0).some(
      (interval) => interval.state === state && startMs >= interval.fromMs && endMs < interval.toMs,
    );
  }
  const { service, dependency } = window.afterBreakerClosed;
  const closed = transitionsOf(context.events, service, dependency).filter(
    (t) => t.from === 'half-open' && t.to === 'closed',
  );
  const last = closed.at(-1);
  return last !== undefined && startMs >= last.atMs;
}

export function describeWindow(window: Window): string {
  if ('all' in window) return 'the whole experiment';
  if ('duringFault' in window) return `fault ${window.duringFault}`;
  if ('afterFault' in window) return `after fault ${window.afterFault}`;
  if ('whileBreaker' in window) {
    const { service, dependency, state } = window.whileBreaker;
    return `while ${service} → ${dependency} breaker ${state}`;
  }
  return `after ${window.afterBreakerClosed.service} → ${window.afterBreakerClosed.dependency} breaker closed again`;
}
