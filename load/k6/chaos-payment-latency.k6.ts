import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { Rate } from 'k6/metrics';
import { addLatencyToxic, phaseAt, removeToxic, scaledSchedule, type LatencyToxic } from './faultSchedule.k6.ts';
import { shopperJourney } from './journey.k6.ts';
import { seconds } from './duration.k6.ts';
import { env, loadSettings, numberEnv, requiredEnv } from './settings.k6.ts';
import { writeSummary, type SummaryData } from './summary.k6.ts';
import { recordOnly } from './thresholds.k6.ts';

/**
 * Chaos under load: shoppers at a constant rate while k6 itself adds a latency toxic on the
 * order → payment link (Toxiproxy proxy `l5-order-payment`) at 20 s and removes it at 40 s.
 * The gate: steady state before the fault, fast failure during it (orders answer well within
 * the injected latency: timeouts and the breaker work instead of hanging), and recovery (error
 * rate under 1% once the recovery bound after the lift has passed). TIME_SCALE shrinks the
 * timeline for CI; the fault must touch traffic or the run fails (no vacuous pass).
 */
const settings = loadSettings();
const scale = numberEnv('TIME_SCALE') ?? 1;
const schedule = scaledSchedule(scale, numberEnv('RECOVERY_BOUND_S') ?? 10);
const toxic: LatencyToxic = {
  toxiproxyUrl: requiredEnv('TOXIPROXY_URL').replace(/\/+$/, ''),
  proxy: env('FAULT_PROXY') ?? 'l5-order-payment',
  name: 'harness-load-latency',
  latencyMs: numberEnv('FAULT_LATENCY_MS') ?? 5000,
};
/** Fast failure: during the fault, 95% of order answers come well before the injected latency. */
const faultP95Ms = numberEnv('FAULT_P95_MS') ?? Math.round(toxic.latencyMs / 2);
const rate = settings.rate ?? 10;

/**
 * An order the fault could have touched that did not come back settled quickly (declines and
 * out-of-stock are the shopper's own outcomes): proves the fault reached the traffic.
 */
const ordersDegraded = new Rate('orders_degraded');

const once = (startTime: number, exec: string) => ({
  executor: 'shared-iterations' as const,
  vus: 1,
  iterations: 1,
  startTime: `${Math.round(startTime * 1000)}ms`,
  maxDuration: '30s',
  exec,
});

export const options: Options = {
  scenarios: {
    shoppers: {
      executor: 'constant-arrival-rate',
      rate,
      timeUnit: '1s',
      duration: seconds(schedule.end),
      preAllocatedVUs: Math.max(2, Math.ceil(rate * 0.5)),
      maxVUs: Math.min(400, Math.max(20, Math.ceil((rate * toxic.latencyMs) / 1000) * 2)),
      gracefulStop: '15s',
      exec: 'shopper',
    },
    inject_fault: once(schedule.injectAt, 'injectFault'),
    lift_fault: once(schedule.liftAt, 'liftFault'),
  },
  thresholds: {
    'http_req_failed{phase:steady}': ['rate<0.01'],
    'http_req_duration{phase:fault,endpoint:place_order}': [`p(95)<${faultP95Ms}`],
    'orders_degraded{phase:fault}': ['rate>0'],
    'http_req_failed{phase:recovered}': ['rate<0.01'],
    'orders{phase:recovered}': ['count>0'],
    'checks{phase:control}': ['rate==1'],
    ...recordOnly(),
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
  setupTimeout: '30s',
  teardownTimeout: '30s',
  userAgent: 'harness-load/1.0 (k6; chaos)',
};

/** Starts from a clean link: a toxic left by an aborted run would fake the steady state. */
export function setup(): void {
  removeToxic(toxic, false);
}

export function shopper(): void {
  exec.vu.metrics.tags.phase = phaseAt((Date.now() - exec.scenario.startTime) / 1000, schedule);
  const started = Date.now();
  const outcome = shopperJourney(settings);
  const settled = outcome === 'confirmed' || outcome === 'declined' || outcome === 'out_of_stock';
  ordersDegraded.add(!settled || Date.now() - started > faultP95Ms);
}

export function injectFault(): void {
  exec.vu.metrics.tags.phase = 'control';
  addLatencyToxic(toxic);
}

export function liftFault(): void {
  exec.vu.metrics.tags.phase = 'control';
  removeToxic(toxic);
}

/** Never leaves the fault behind, whatever happened to the run. */
export function teardown(): void {
  exec.vu.metrics.tags.phase = 'control';
  removeToxic(toxic, false);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return writeSummary(data);
}
