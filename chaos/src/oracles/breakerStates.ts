import type { BreakerState, ResilienceEvent } from '../observe/ResilienceLogCollector.ts';

export interface BreakerInterval {
  state: BreakerState;
  fromMs: number;
  /** Infinity while it lasts. */
  toMs: number;
  pid: number;
  /** Sequence number of the transition that started it (undefined for the initial closed state). */
  seq: number | undefined;
  from: BreakerState | undefined;
}

type Transition = Extract<ResilienceEvent, { type: 'breaker' }>;

export function transitionsOf(events: readonly ResilienceEvent[], service: string, dependency: string): Transition[] {
  return events
    .filter(
      (event): event is Transition =>
        event.type === 'breaker' && event.service === service && event.dependency === dependency,
    )
    .sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
}

/**
 * The breaker's states over time, from its transitions: closed until the first transition, then
 * each state until the next one. A new process (restart) starts closed again.
 */
export function breakerIntervals(
  events: readonly ResilienceEvent[],
  service: string,
  dependency: string,
  startMs: number,
): BreakerInterval[] {
  const intervals: BreakerInterval[] = [];
  let current: BreakerInterval = {
    state: 'closed',
    fromMs: startMs,
    toMs: Infinity,
    pid: -1,
    seq: undefined,
    from: undefined,
  };
  for (const transition of transitionsOf(events, service, dependency)) {
    if (transition.pid !== current.pid && current.pid !== -1) {
      current.toMs = transition.atMs;
      intervals.push(current);
      current = {
        state: 'closed',
        fromMs: transition.atMs,
        toMs: Infinity,
        pid: transition.pid,
        seq: undefined,
        from: undefined,
      };
    }
    current.toMs = transition.atMs;
    intervals.push(current);
    current = {
      state: transition.to,
      fromMs: transition.atMs,
      toMs: Infinity,
      pid: transition.pid,
      seq: transition.seq,
      from: transition.from,
    };
  }
  intervals.push(current);
  return intervals.filter((interval) => interval.toMs > interval.fromMs || interval.toMs === Infinity);
}
