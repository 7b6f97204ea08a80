import fs from 'node:fs';
import path from 'node:path';
import { latencyOf, percentile, type ResponseRecord } from '../workload/ResponseRecord.ts';

/** Traces kept per scenario run at most. */
export const MAX_KEPT_TRACES = 20;

const failed = (response: ResponseRecord): boolean => response.status === 0 || response.status >= 500;

/**
 * The responses worth a trace: every failed one (no answer, or 5xx) first, then the slowest of the
 * rest (at or above the run's p95 latency, slowest first), at most `max`, only those with a trace id.
 */
export function responsesWorthATrace(responses: readonly ResponseRecord[], max = MAX_KEPT_TRACES): ResponseRecord[] {
  const traced = responses.filter((response) => response.traceId !== undefined);
  const p95 = percentile(traced.map(latencyOf), 0.95);
  const slow = traced
    .filter((response) => !failed(response) && latencyOf(response) >= p95)
    .sort((a, b) => latencyOf(b) - latencyOf(a));
  return [...traced.filter(failed), ...slow].slice(0, max);
}

/**
 * Reads the traces of the responses worth one from Jaeger's query API (`jaegerUrl`) and writes each
 * as `<dir>/<trace id>.json`, so the report links to them after the run's in-memory Jaeger is
 * gone. Waits `settleMs` first for the services' last span batches. Returns the ids kept; a trace
 * Jaeger does not have (dropped, never exported) is left out.
 */
export async function keepTraces(
  responses: readonly ResponseRecord[],
  jaegerUrl: string,
  dir: string,
  options: { settleMs?: number; max?: number } = {},
): Promise<string[]> {
  const wanted = responsesWorthATrace(responses, options.max);
  if (wanted.length === 0) return [];
  await new Promise((resolve) => setTimeout(resolve, options.settleMs ?? 1_500));
  const kept: string[] = [];
  for (const traceId of new Set(wanted.map((response) => response.traceId ?? ''))) {
    try {
      const answer = await fetch(`${jaegerUrl}/api/traces/${traceId}`, { signal: AbortSignal.timeout(5_000) });
      if (answer.status !== 200) continue;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${traceId}.json`), await answer.text());
      kept.push(traceId);
    } catch {
      // Jaeger gone or slow: the report simply has no link for this one.
    }
  }
  return kept;
}
