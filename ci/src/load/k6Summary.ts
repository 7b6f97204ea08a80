import fs from 'node:fs';

/** The part of k6's end-of-test summary (handleSummary data) the wrapper reads. */
interface SummaryMetric {
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  contains?: string;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

export interface K6Summary {
  metrics: Record<string, SummaryMetric>;
  state?: { testRunDurationMs?: number };
}

export interface ThresholdResult {
  /** e.g. `http_req_duration{endpoint:place_order}` */
  metric: string;
  /** e.g. `p(95)<200` */
  expression: string;
  ok: boolean;
  /** The value the expression was judged on, when the summary has it. */
  observed?: number;
}

export function readSummary(file: string): K6Summary | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as K6Summary;
  } catch {
    return undefined;
  }
}

/** Always-true thresholds that only keep a sub-metric in the summary are not SLOs. */
const RECORD_ONLY = /^count>=0$/;

function observedValue(metric: SummaryMetric, expression: string): number | undefined {
  const aggregate = /^\s*([a-z]+(?:\([\d.]+\))?)\s*[<>=!]/.exec(expression)?.[1];
  if (!aggregate) return undefined;
  return metric.values[aggregate];
}

export function thresholdResults(summary: K6Summary): ThresholdResult[] {
  const results: ThresholdResult[] = [];
  for (const [name, metric] of Object.entries(summary.metrics)) {
    for (const [expression, { ok }] of Object.entries(metric.thresholds ?? {})) {
      if (RECORD_ONLY.test(expression)) continue;
      const observed = observedValue(metric, expression);
      results.push({ metric: name, expression, ok, ...(observed === undefined ? {} : { observed }) });
    }
  }
  return results.sort((a, b) => a.metric.localeCompare(b.metric) || a.expression.localeCompare(b.expression));
}

export const value = (summary: K6Summary, metric: string, stat: string): number | undefined =>
  summary.metrics[metric]?.values[stat];

/** Orders by outcome, from the `orders{outcome:...}` sub-metrics. */
export function ordersByOutcome(summary: K6Summary): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [name, metric] of Object.entries(summary.metrics)) {
    const outcome = /^orders\{outcome:([a-z_]+)\}$/.exec(name)?.[1];
    if (outcome && (metric.values.count ?? 0) > 0) result[outcome] = metric.values.count ?? 0;
  }
  return result;
}

const ms = (n: number | undefined): string => (n === undefined ? '-' : `${n.toFixed(n < 10 ? 2 : 0)} ms`);

/** A few lines for the terminal: traffic, latency, orders, and every SLO with its verdict. */
export function describeSummary(summary: K6Summary): string[] {
  const seconds = (summary.state?.testRunDurationMs ?? 0) / 1000;
  const requests = value(summary, 'http_reqs', 'count') ?? 0;
  const failed = value(summary, 'http_req_failed', 'rate') ?? 0;
  const outcomes = Object.entries(ordersByOutcome(summary))
    .map(([outcome, count]) => `${outcome} ${count}`)
    .join(', ');
  const lines = [
    `requests     ${requests} in ${seconds.toFixed(1)} s (${(requests / Math.max(seconds, 0.001)).toFixed(1)}/s), failed ${(failed * 100).toFixed(2)}%`,
    `latency      p50 ${ms(value(summary, 'http_req_duration', 'med'))}  p95 ${ms(value(summary, 'http_req_duration', 'p(95)'))}  p99 ${ms(value(summary, 'http_req_duration', 'p(99)'))}`,
    `orders       ${outcomes || 'none'}`,
  ];
  const confirmed = summary.metrics.order_confirmed_latency;
  if (confirmed && (confirmed.values.count ?? 0) > 0)
    lines.push(`confirmed in p50 ${ms(confirmed.values.med)}  p95 ${ms(confirmed.values['p(95)'])}`);
  const dropped = value(summary, 'dropped_iterations', 'count');
  if (dropped) lines.push(`dropped      ${dropped} iterations (the load generator could not keep the arrival rate)`);
  for (const result of thresholdResults(summary)) {
    const seen = result.observed === undefined ? '' : ` (observed ${Number(result.observed.toFixed(4))})`;
    lines.push(`${result.ok ? 'SLO ok    ' : 'SLO FAILED'} ${result.metric} ${result.expression}${seen}`);
  }
  return lines;
}
