import type { ChaosService } from '../scenario/Scenario.ts';
import { chaosServices } from '../system/kitSystem.ts';
import type { ChaosSystem } from '../system/ChaosSystem.ts';

export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

/** A resilience event as the kit serves it at /admin/resilience, tagged with its process. */
export type ResilienceEvent = {
  service: ChaosService;
  pid: number;
  seq: number;
  atMs: number;
  dependency: string;
} & (
  | { type: 'breaker'; from: BreakerState; to: BreakerState }
  | { type: 'retry'; attempt: number; delayMs: number; reason: string }
  | { type: 'call'; outcome: 'success' | 'failure' | 'timeout'; durationMs: number }
  | { type: 'short_circuited' }
  | { type: 'bulkhead_rejected' }
  | { type: 'timeout'; timeoutMs: number }
);

/**
 * Follows every service's resilience event log (`GET /admin/resilience?since=`) while a scenario
 * runs, so that nothing is lost to the log's bounded size or to a service restart. Events are
 * deduplicated by (pid, seq).
 */
export class ResilienceLogCollector {
  readonly #system: ChaosSystem;
  readonly #events = new Map<string, ResilienceEvent>();
  readonly #lastAtMs = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();

  constructor(system: ChaosSystem) {
    this.#system = system;
  }

  /** Empties every service's log (DELETE /admin/resilience) and forgets what was collected. */
  async reset(): Promise<void> {
    this.#events.clear();
    this.#lastAtMs.clear();
    await Promise.all(
      chaosServices().map((service) =>
        fetch(`${this.#system.url(service)}/admin/resilience`, {
          method: 'DELETE',
          headers: { 'x-service-token': this.#system.secrets.serviceToken },
          signal: AbortSignal.timeout(2_000),
        }).catch(() => undefined),
      ),
    );
  }

  start(everyMs = 300): void {
    const tick = (): void => {
      this.#running = this.pollNow().finally(() => {
        if (this.#timer !== undefined) this.#timer = setTimeout(tick, everyMs).unref();
      });
    };
    // Unref'd: a sampler left running by a crashed scenario never keeps the process alive.
    this.#timer = setTimeout(tick, 0).unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
    await this.pollNow();
  }

  async pollNow(): Promise<void> {
    await Promise.all(chaosServices().map((service) => this.#poll(service)));
  }

  /** Everything collected, in time order (then by sequence number). */
  events(): ResilienceEvent[] {
    return [...this.#events.values()].sort((a, b) => a.atMs - b.atMs || a.pid - b.pid || a.seq - b.seq);
  }

  async #poll(service: ChaosService): Promise<void> {
    const pid = this.#system.pid(service);
    if (pid === undefined) return;
    const key = `${service}:${pid}`;
    const since = this.#lastAtMs.get(key);
    const query = since === undefined ? '' : `?since=${Math.max(0, since - 1)}`;
    try {
      const response = await fetch(`${this.#system.url(service)}/admin/resilience${query}`, {
        headers: { 'x-service-token': this.#system.secrets.serviceToken },
        signal: AbortSignal.timeout(1_000),
      });
      if (!response.ok) return;
      const { events } = (await response.json()) as { events: Array<Omit<ResilienceEvent, 'service' | 'pid'>> };
      for (const event of events) {
        this.#events.set(`${key}:${event.seq}`, { ...event, service, pid } as ResilienceEvent);
        this.#lastAtMs.set(key, Math.max(this.#lastAtMs.get(key) ?? 0, event.atMs));
      }
    } catch {
      // A paused or restarting service is polled again on the next tick.
    }
  }
}
