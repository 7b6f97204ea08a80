/**
 * The end-of-test hook shared by every script: the raw summary goes to SUMMARY_JSON (the
 * wrapper turns it into JUnit and its printed summary); stdout gets a few lines for a plain
 * `k6 run` (and for the k6-operator's pod logs).
 */
interface SummaryMetric {
  type: string;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

export interface SummaryData {
  metrics: Record<string, SummaryMetric>;
  state?: { testRunDurationMs?: number };
}

function line(name: string, metric: SummaryMetric | undefined): string | undefined {
  if (!metric) return undefined;
  const v = metric.values;
  const fmt = (n: number | undefined): string => (n === undefined ? '-' : n.toFixed(2));
  if (metric.type === 'trend') return `${name}: p50=${fmt(v.med)} p95=${fmt(v['p(95)'])} p99=${fmt(v['p(99)'])}`;
  if (metric.type === 'rate') return `${name}: ${fmt((v.rate ?? 0) * 100)}%`;
  return `${name}: ${v.count ?? v.value ?? '-'}`;
}

export function shortText(data: SummaryData): string {
  const lines = ['http_reqs', 'http_req_failed', 'http_req_duration', 'order_confirmed_latency', 'orders']
    .map((name) => line(name, data.metrics[name]))
    .filter((text): text is string => text !== undefined);
  const failed: string[] = [];
  for (const [name, metric] of Object.entries(data.metrics))
    for (const [expr, result] of Object.entries(metric.thresholds ?? {}))
      if (!result.ok) failed.push(`${name} ${expr}`);
  lines.push(failed.length === 0 ? 'thresholds: all passed' : `thresholds FAILED: ${failed.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

export function writeSummary(data: SummaryData): Record<string, string> {
  const out: Record<string, string> = { stdout: shortText(data) };
  const file = __ENV.SUMMARY_JSON;
  if (file) out[file] = JSON.stringify(data, null, 2);
  return out;
}
