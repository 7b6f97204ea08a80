import type { ChaosService } from '../scenario/Scenario.ts';
import { chaosServices } from '../system/kitSystem.ts';
import type { ChaosSystem } from '../system/ChaosSystem.ts';
import { parsePrometheusText, sumOf, type MetricSample } from './prometheusText.ts';

/** One scrape of one service process. */
export interface MetricsSnapshot {
  service: ChaosService;
  pid: number;
  atMs: number;
  samples: MetricSample[];
}

/** One scrape of Toxiproxy's per-proxy byte counters (bytes received, both directions). */
export interface ProxyBytesSnapshot {
  atMs: number;
  bytes: Record<string, number>;
}

/** Only the harness's own metrics are kept (not the process defaults). */
const kept = (sample: MetricSample): boolean => sample.name.startsWith('harness_') || sample.name.startsWith('order_');

/**
 * Scrapes every service's /metrics and Toxiproxy's proxy counters periodically (and on demand at
 * fault boundaries), keyed by process id so that a restarted service's counters (back at zero)
 * are added up rather than read as a decrease.
 */
export class MetricsSampler {
  readonly snapshots: MetricsSnapshot[] = [];
  readonly proxyBytes: ProxyBytesSnapshot[] = [];
  readonly #system: ChaosSystem;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();

  constructor(system: ChaosSystem) {
    this.#system = system;
  }

  start(everyMs = 500): void {
    const tick = (): void => {
      this.#running = this.sampleNow().finally(() => {
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
  }

  /** Scrapes everything once, now. */
  async sampleNow(): Promise<void> {
    await Promise.all([...chaosServices().map((service) => this.#scrape(service)), this.#scrapeToxiproxy()]);
  }

  /**
   * How much a counter grew in [fromMs, toMs], summed over the service's processes; a process
   * that started inside the window counts from zero.
   */
  counterDelta(
    service: ChaosService,
    name: string,
    labels: Readonly<Record<string, string>>,
    fromMs: number,
    toMs: number,
  ): number {
    let total = 0;
    for (const series of this.#byPid(service)) {
      const before = series.filter((s) => s.atMs <= fromMs).at(-1);
      const last = series.filter((s) => s.atMs <= toMs).at(-1);
      if (!last || last.atMs < fromMs) continue;
      total += sumOf(last.samples, name, labels) - (before ? sumOf(before.samples, name, labels) : 0);
    }
    return total;
  }

  /** The highest value a gauge was seen at in [fromMs, toMs]. */
  gaugeMax(
    service: ChaosService,
    name: string,
    labels: Readonly<Record<string, string>>,
    fromMs: number,
    toMs: number,
  ): number {
    const inWindow = this.snapshots.filter((s) => s.service === service && s.atMs >= fromMs && s.atMs <= toMs);
    return Math.max(0, ...inWindow.map((s) => sumOf(s.samples, name, labels)));
  }

  /** Bytes a proxy carried in [fromMs, toMs] (both directions), or undefined without counters. */
  proxyBytesIn(proxy: string, fromMs: number, toMs: number): number | undefined {
    if (!this.#system.proxyMetrics) return undefined;
    const before = this.proxyBytes.filter((s) => s.atMs <= fromMs).at(-1);
    const last = this.proxyBytes.filter((s) => s.atMs <= toMs).at(-1);
    if (!last) return 0;
    return (last.bytes[proxy] ?? 0) - (before?.bytes[proxy] ?? 0);
  }

  #byPid(service: ChaosService): MetricsSnapshot[][] {
    const groups = new Map<number, MetricsSnapshot[]>();
    for (const snapshot of this.snapshots) {
      if (snapshot.service !== service) continue;
      groups.set(snapshot.pid, [...(groups.get(snapshot.pid) ?? []), snapshot]);
    }
    return [...groups.values()];
  }

  async #scrape(service: ChaosService): Promise<void> {
    const pid = this.#system.pid(service);
    if (pid === undefined) return;
    try {
      const atMs = Date.now();
      const response = await fetch(`${this.#system.url(service)}/metrics`, { signal: AbortSignal.timeout(1_000) });
      if (!response.ok) return;
      const samples = parsePrometheusText(await response.text()).filter(kept);
      this.snapshots.push({ service, pid, atMs, samples });
    } catch {
      // A paused, killed or overloaded service misses a sample; the next one catches up.
    }
  }

  async #scrapeToxiproxy(): Promise<void> {
    if (!this.#system.proxyMetrics) return;
    try {
      const atMs = Date.now();
      const response = await fetch(`${this.#system.infra.toxiproxy.url}/metrics`, {
        signal: AbortSignal.timeout(1_000),
      });
      const bytes: Record<string, number> = {};
      for (const sample of parsePrometheusText(await response.text())) {
        if (sample.name !== 'toxiproxy_proxy_received_bytes_total') continue;
        const proxy = sample.labels.proxy ?? '';
        bytes[proxy] = (bytes[proxy] ?? 0) + sample.value;
      }
      this.proxyBytes.push({ atMs, bytes });
    } catch {
      // Missed sample.
    }
  }
}
