import type { Threshold } from 'k6/options';
import type { ProfileName } from './profiles.k6.ts';
import { ORDER_OUTCOMES } from './metrics.k6.ts';

/**
 * The SLOs every profile is gated on. A breached threshold makes k6 exit 99 and the wrapper
 * exit non-zero. Latencies in ms.
 */
export interface Slo {
  p95Ms: number;
  p99Ms: number;
  /** Placing an order, from POST to CONFIRMED seen (including polls of a 202). */
  confirmedP95Ms: number;
  /** Share of requests that failed (5xx, 429, timeouts, unexpected 4xx). */
  maxErrorRate: number;
  /** Share of checks on response shape that must pass. */
  minCheckRate: number;
}

export const DEFAULT_SLO: Slo = { p95Ms: 200, p99Ms: 500, confirmedP95Ms: 400, maxErrorRate: 0.01, minCheckRate: 0.99 };

/**
 * Long or deliberately overloading profiles stop as soon as the error SLO is clearly breached
 * (after a grace period), so a broken system does not burn the whole run; breakpoint also stops
 * on latency, which is the point where it "breaks".
 */
const ABORT_ON_ERRORS: Record<ProfileName, boolean> = {
  smoke: true,
  average: false,
  stress: true,
  spike: false,
  soak: true,
  breakpoint: true,
};

function gate(threshold: string, abort: boolean, delay = '10s'): Threshold {
  return abort ? { threshold, abortOnFail: true, delayAbortEval: delay } : threshold;
}

/** Always-true thresholds that only make k6 keep these sub-metrics in its end-of-test summary. */
export function recordOnly(): Record<string, Threshold[]> {
  const result: Record<string, Threshold[]> = {};
  for (const outcome of ORDER_OUTCOMES) result[`orders{outcome:${outcome}}`] = ['count>=0'];
  return result;
}

export function thresholdsFor(profile: ProfileName, slo: Slo): Record<string, Threshold[]> {
  const abort = ABORT_ON_ERRORS[profile];
  const latencyAbort = profile === 'breakpoint';
  return {
    http_req_failed: [gate(`rate<${slo.maxErrorRate}`, abort)],
    http_req_duration: [gate(`p(95)<${slo.p95Ms}`, latencyAbort), `p(99)<${slo.p99Ms}`],
    'http_req_duration{endpoint:place_order}': [`p(95)<${slo.p95Ms}`],
    order_confirmed_latency: [`p(95)<${slo.confirmedP95Ms}`],
    checks: [`rate>=${slo.minCheckRate}`],
    ...recordOnly(),
    // Thresholds on metrics without samples pass: this one makes "nothing confirmed" fail.
    'orders{outcome:confirmed}': ['count>0'],
  };
}

/** The default SLO with the overrides of this run (e.g. an impossible p95 from `--p95`). */
export function sloWith(overrides: { p95Ms?: number; p99Ms?: number }): Slo {
  const slo = { ...DEFAULT_SLO };
  if (overrides.p95Ms !== undefined) {
    slo.p95Ms = overrides.p95Ms;
    slo.confirmedP95Ms = Math.max(overrides.p95Ms, Math.min(slo.confirmedP95Ms, overrides.p95Ms * 2));
  }
  if (overrides.p99Ms !== undefined) slo.p99Ms = overrides.p99Ms;
  return slo;
}
