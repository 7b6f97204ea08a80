import type { ScenarioRun } from '../runner/ScenarioRun.ts';
import { latencyOf } from '../workload/ResponseRecord.ts';

const WIDTH = 960;
const LEFT = 190;
const RIGHT = 20;
const ROW = 18;

const esc = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const stateColours: Record<string, string> = {
  closed: '#2e7d32',
  open: '#c62828',
  'half-open': '#ef6c00',
  isolated: '#6a1b9a',
};

function statusColour(status: number): string {
  if (status === 0) return '#212121';
  if (status < 300) return status === 202 ? '#00838f' : '#2e7d32';
  if (status === 503) return '#c62828';
  return '#ef6c00';
}

/**
 * The scenario's timeline as inline SVG: when each fault was in force, each breaker's state,
 * every response (latency by start time, coloured by status; a failed or slow one whose trace was
 * kept links to it), the error rate per half second,
 * bytes through the faulted proxies, and retries / short-circuits / bulkhead rejections.
 */
export function timelineSvg(run: ScenarioRun): string {
  const timeline = run.timeline;
  if (!timeline) return '<p>No timeline (the experiment did not run).</p>';
  const from = timeline.t0 - 500;
  const to = Math.max(timeline.endMs, from + 1_000);
  const x = (ms: number): number =>
    LEFT + ((Math.min(Math.max(ms, from), to) - from) / (to - from)) * (WIDTH - LEFT - RIGHT);
  const parts: string[] = [];
  let y = 20;
  const label = (text: string, atY: number): void =>
    void parts.push(`<text x="${LEFT - 8}" y="${atY + 12}" text-anchor="end" class="l">${esc(text)}</text>`);

  for (let s = 0; timeline.t0 + s * 1000 <= to; s += to - from > 20_000 ? 5 : 1) {
    const at = x(timeline.t0 + s * 1000);
    parts.push(
      `<line x1="${at}" y1="14" x2="${at}" y2="100%" class="grid"/><text x="${at}" y="10" class="t">${s}s</text>`,
    );
  }
  for (const fault of run.faults) {
    label(`fault ${fault.id}`, y);
    if (fault.injectedAtMs !== undefined) {
      const end = fault.liftedAtMs ?? timeline.endMs;
      parts.push(
        `<rect x="${x(fault.injectedAtMs)}" y="${y + 2}" width="${Math.max(2, x(end) - x(fault.injectedAtMs))}" height="${ROW - 4}" fill="#7b1fa2"><title>${esc(fault.description)}</title></rect>`,
      );
    }
    y += ROW;
  }
  for (const breaker of timeline.breakers) {
    label(`breaker ${breaker.service}→${breaker.dependency}`, y);
    for (const interval of breaker.intervals) {
      parts.push(
        `<rect x="${x(interval.fromMs)}" y="${y + 2}" width="${Math.max(1, x(interval.toMs) - x(interval.fromMs))}" height="${ROW - 4}" fill="${stateColours[interval.state] ?? '#999'}"><title>${interval.state}</title></rect>`,
      );
    }
    y += ROW;
  }
  if (timeline.retries.length > 0) {
    label('retries / short-circuits', y);
    for (const event of timeline.retries) {
      const colour = event.label.endsWith('retry')
        ? '#1565c0'
        : event.label.endsWith('short_circuited')
          ? '#c62828'
          : '#ef6c00';
      parts.push(
        `<line x1="${x(event.atMs)}" y1="${y + 3}" x2="${x(event.atMs)}" y2="${y + ROW - 3}" stroke="${colour}"><title>${esc(event.label)}</title></line>`,
      );
    }
    y += ROW;
  }
  for (const series of timeline.proxyBytes) {
    label(`bytes ${series.proxy}`, y);
    const peak = Math.max(1, ...series.points.map((p) => p.bytes));
    for (const point of series.points) {
      const h = ((ROW - 4) * point.bytes) / peak;
      parts.push(
        `<rect x="${x(point.atMs) - 2}" y="${y + ROW - 2 - h}" width="3" height="${h}" fill="#546e7a"><title>${point.bytes} bytes</title></rect>`,
      );
    }
    y += ROW;
  }
  const buckets = new Map<number, { all: number; errors: number }>();
  for (const response of run.responses) {
    const bucket = Math.floor((response.endMs - from) / 500);
    const entry = buckets.get(bucket) ?? { all: 0, errors: 0 };
    entry.all++;
    if (response.status === 0 || response.status >= 300) entry.errors++;
    buckets.set(bucket, entry);
  }
  label('error rate (per 0.5 s)', y);
  for (const [bucket, { all, errors }] of buckets) {
    const h = ((ROW * 2 - 4) * errors) / all;
    const left = x(from + bucket * 500);
    parts.push(
      `<rect x="${left}" y="${y + ROW * 2 - 2 - h}" width="${Math.max(1, x(from + (bucket + 1) * 500) - left - 1)}" height="${h}" fill="#c62828"><title>${errors}/${all} errors</title></rect>`,
    );
  }
  y += ROW * 2 + 6;
  const latencies = run.responses.map(latencyOf);
  const top = Math.max(100, ...latencies);
  const height = 120;
  label(`latency (0–${top} ms)`, y);
  parts.push(`<line x1="${LEFT}" y1="${y + height}" x2="${WIDTH - RIGHT}" y2="${y + height}" class="grid"/>`);
  const kept = new Set(run.keptTraces ?? []);
  for (const response of run.responses) {
    const cy = y + height - (height * latencyOf(response)) / top;
    const traced = response.traceId !== undefined && kept.has(response.traceId);
    const title = `${response.stream} ${response.status} ${latencyOf(response)} ms ${response.problemCode ?? ''} ${response.detail ?? response.error ?? ''}${traced ? ` (trace ${response.traceId}: click)` : ''}`;
    const circle = `<circle cx="${x(response.startMs)}" cy="${cy}" r="${traced ? 3.5 : 2.5}" fill="${statusColour(response.status)}"${traced ? ' stroke="#000"' : ''}><title>${esc(title)}</title></circle>`;
    // A failed or slow request links to its trace, kept next to the report (keepTraces.ts).
    parts.push(traced ? `<a href="traces/${esc(response.traceId ?? '')}.json">${circle}</a>` : circle);
  }
  y += height + 10;
  return `<svg class="timeline" viewBox="0 0 ${WIDTH} ${y}" width="${WIDTH}" height="${y}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}
