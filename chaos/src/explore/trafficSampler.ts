import { parsePrometheusText } from '../observe/prometheusText.ts';

/** Bytes every Toxiproxy proxy received so far, both directions (empty without -proxy-metrics). */
async function proxyBytes(toxiproxyUrl: string): Promise<Map<string, number>> {
  const bytes = new Map<string, number>();
  try {
    const response = await fetch(`${toxiproxyUrl}/metrics`, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) return bytes;
    for (const sample of parsePrometheusText(await response.text()))
      if (sample.name === 'toxiproxy_proxy_received_bytes_total' && sample.labels.proxy !== undefined)
        bytes.set(sample.labels.proxy, (bytes.get(sample.labels.proxy) ?? 0) + sample.value);
  } catch {
    // A missed sample only makes the window coarser.
  }
  return bytes;
}

/**
 * Samples every proxy's byte counter while one exploration run goes on, so the run can say which
 * paths carried traffic while its fault was in force (the input of dynamic reduction).
 */
export class TrafficSampler {
  readonly #url: string;
  /** Each sample's counters were read somewhere between its `startMs` and its `endMs`. */
  readonly #samples: Array<{ startMs: number; endMs: number; bytes: Map<string, number> }> = [];
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #pending: Promise<void> = Promise.resolve();
  readonly everyMs: number;

  constructor(toxiproxyUrl: string, everyMs = 250) {
    this.#url = toxiproxyUrl;
    this.everyMs = everyMs;
  }

  /**
   * Scrapes now and then `everyMs` after each scrape ends: one at a time, so on a busy machine
   * scrapes do not pile up, and every sample's read lies between the ends of its neighbours'.
   */
  start(): void {
    this.#samples.length = 0;
    this.#running = true;
    const take = (): void => {
      const startMs = Date.now();
      this.#pending = proxyBytes(this.#url).then((bytes) => {
        if (bytes.size > 0) this.#samples.push({ startMs, endMs: Date.now(), bytes });
        if (this.#running) this.#timer = setTimeout(take, this.everyMs);
      });
    };
    take();
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#pending;
  }

  /**
   * Proxies whose counter grew between the last sample read surely at or before `fromMs` (it ended
   * by then) and the first read surely at or after `toMs` (it started then or later); undefined when
   * there are no samples to tell (no proxy metrics). A sample read across either bound would mix
   * traffic from outside the window into it, or miss traffic inside it.
   */
  touched(fromMs: number, toMs: number): Set<string> | undefined {
    if (this.#samples.length < 2) return undefined;
    const before = [...this.#samples].reverse().find((sample) => sample.endMs <= fromMs) ?? this.#samples[0];
    const after = this.#samples.find((sample) => sample.startMs >= toMs) ?? this.#samples.at(-1);
    if (!before || !after || after === before) return undefined;
    const grew = new Set<string>();
    for (const [proxy, bytes] of after.bytes) if (bytes > (before.bytes.get(proxy) ?? 0)) grew.add(proxy);
    return grew;
  }
}
