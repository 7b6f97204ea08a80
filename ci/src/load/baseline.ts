/** The figures of one `harness bench` run that a later run is compared with. */
export interface BenchFigures {
  confirmedPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
  /** Summed VmRSS of every process of the run (the storefront included). */
  rssAtRestMb: number;
  rssPeakMb: number;
  /** The target's figure: services, PostgreSQL, RabbitMQ and Toxiproxy, at rest before and after the load. */
  systemRssAtRestMb?: number;
  systemRssAfterLoadMb?: number;
  /** Confirmed orders/s at the highest capacity step that met the SLO (0 when none did). */
  capacityAtSlo: number;
  /** System CPU ms per confirmed order in the main phase (k6 excluded), and the ceiling it implies. */
  cpuMsPerOrder: number;
  cpuCeiling: number;
  /** Closed-model ceilings (confirmed orders/s at fixed concurrency). */
  gatewayCeiling: number;
  proxiedCeiling: number;
  orderCeiling: number;
  postgresTps: number;
  /** The gateway's ceiling on a system started with every link direct (bench --start only). */
  directSystemCeiling?: number;
  ratios: {
    /** Whole system: the proxied system's ceiling ÷ the direct system's (1 = no overhead; bench --start only). */
    proxiedVsDirect?: number;
    /** One hop: through the L1 Toxiproxy proxy ÷ gateway direct, on the same system. */
    l1ProxiedVsDirect: number;
    /** Gateway ÷ straight to the order service. */
    gatewayVsOrder: number;
    /** Confirmed orders/s at the gateway's ceiling ÷ pgbench tps. */
    ordersVsPostgres: number;
  };
}

export interface Regression {
  figure: string;
  baseline: number;
  current: number;
  /** Relative change in the bad direction (0.15 = 15% worse). */
  worseBy: number;
}

type Direction = 'higher' | 'lower';

/** Which way is better for each compared figure; absolute figures and ratios alike. */
const COMPARED: Record<string, Direction> = {
  confirmedPerSecond: 'higher',
  p95Ms: 'lower',
  p99Ms: 'lower',
  rssAtRestMb: 'lower',
  rssPeakMb: 'lower',
  systemRssAtRestMb: 'lower',
  systemRssAfterLoadMb: 'lower',
  capacityAtSlo: 'higher',
  cpuMsPerOrder: 'lower',
  gatewayCeiling: 'higher',
  proxiedCeiling: 'higher',
  orderCeiling: 'higher',
  'ratios.proxiedVsDirect': 'higher',
  'ratios.l1ProxiedVsDirect': 'higher',
  'ratios.gatewayVsOrder': 'higher',
  'ratios.ordersVsPostgres': 'higher',
};

function read(figures: BenchFigures, name: string): number | undefined {
  const [head, tail] = name.split('.');
  const raw =
    tail === undefined
      ? (figures as unknown as Record<string, unknown>)[head ?? '']
      : (figures.ratios as unknown as Record<string, unknown>)[tail];
  return typeof raw === 'number' && Number.isFinite(raw) ? raw : undefined;
}

/**
 * Figures worse than the baseline by more than `tolerance` (relative). Latencies below 1 ms and
 * baselines of zero are not judged relatively (noise); new errors always count.
 */
export function findRegressions(current: BenchFigures, baseline: BenchFigures, tolerance = 0.1): Regression[] {
  const regressions: Regression[] = [];
  for (const [name, direction] of Object.entries(COMPARED)) {
    const was = read(baseline, name);
    const now = read(current, name);
    if (was === undefined || now === undefined || was <= 0) continue;
    if (name.endsWith('Ms') && was < 1) continue;
    const worseBy = direction === 'higher' ? (was - now) / was : (now - was) / was;
    if (worseBy > tolerance) regressions.push({ figure: name, baseline: was, current: now, worseBy });
  }
  if (current.errors > baseline.errors)
    regressions.push({
      figure: 'errors',
      baseline: baseline.errors,
      current: current.errors,
      worseBy: baseline.errors === 0 ? Infinity : (current.errors - baseline.errors) / baseline.errors,
    });
  return regressions;
}
