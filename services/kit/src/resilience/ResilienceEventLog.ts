export type BreakerStateName = 'closed' | 'open' | 'half-open' | 'isolated';

/** How one attempt that reached the dependency ended. */
export type CallOutcome = 'success' | 'failure' | 'timeout';

/** What a resilience policy did, without the stamp the log adds. */
export type ResilienceEventBody =
  | { type: 'breaker'; from: BreakerStateName; to: BreakerStateName }
  /** `attempt` is the attempt about to be made (2 = first retry); `delayMs` the wait before it. */
  | { type: 'retry'; attempt: number; delayMs: number; reason: string }
  | { type: 'call'; outcome: CallOutcome; durationMs: number }
  /** A call rejected by the open circuit without reaching the dependency. */
  | { type: 'short_circuited' }
  | { type: 'bulkhead_rejected' }
  | { type: 'timeout'; timeoutMs: number };

export type ResilienceEvent = ResilienceEventBody & {
  /** Increasing per log, so readers can order events that share a millisecond. */
  seq: number;
  at: string;
  atMs: number;
  dependency: string;
};

import type { ResilienceSettings } from './resilienceSettings.ts';

const TRIM_CHUNK = 512;

/**
 * Bounded in-memory log of resilience events (oldest dropped first), served at
 * `/admin/resilience` so chaos oracles can check breaker transitions and retry spacing.
 */
export class ResilienceEventLog {
  readonly capacity: number;
  #events: ResilienceEvent[] = [];
  #seq = 0;
  readonly #policies = new Map<string, ResilienceSettings>();
  readonly #now: () => number;

  constructor(options: { capacity?: number; now?: () => number } = {}) {
    this.capacity = options.capacity ?? 5_000;
    this.#now = options.now ?? Date.now;
  }

  record(dependency: string, body: ResilienceEventBody): ResilienceEvent {
    const atMs = this.#now();
    const event: ResilienceEvent = { ...body, seq: ++this.#seq, at: new Date(atMs).toISOString(), atMs, dependency };
    this.#events.push(event);
    // Trimmed in chunks: dropping one event per record would move the whole array every call.
    if (this.#events.length > this.capacity + TRIM_CHUNK) this.#events.splice(0, this.#events.length - this.capacity);
    return event;
  }

  /** Events recorded after `sinceMs` (epoch milliseconds, exclusive), oldest first; at most `capacity`. */
  list(sinceMs?: number): ResilienceEvent[] {
    const kept = this.#events.slice(Math.max(0, this.#events.length - this.capacity));
    return sinceMs === undefined ? kept : kept.filter((event) => event.atMs > sinceMs);
  }

  clear(): void {
    this.#events = [];
  }

  /** Remembers the effective settings of a dependency's policy (served next to the events). */
  describePolicy(dependency: string, settings: ResilienceSettings): void {
    this.#policies.set(dependency, settings);
  }

  /** The effective settings of every policy writing to this log, by dependency. */
  policies(): Record<string, ResilienceSettings> {
    return Object.fromEntries(this.#policies);
  }
}
