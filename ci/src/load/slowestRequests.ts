import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

/** How many of a profile's slowest requests the report links to their traces. */
export const SLOWEST_KEPT = 5;

/** One request of a load run, as k6's JSON output records its `http_req_duration` sample. */
export interface TimedRequest {
  /** The request's trace id (the `traceparent` k6 sent, load/k6/traceContext.k6.ts). */
  traceId: string;
  ms: number;
  /** The `endpoint` tag (`place_order`, `order_view`, …) or, without one, the request's name. */
  endpoint: string;
  status: number;
  /** When k6 sent it (ISO time). */
  at: string;
  /** `traces/<id>.json` next to slowest.json when the trace was read from Jaeger. */
  trace?: string;
}

interface K6Point {
  metric?: string;
  type?: string;
  data?: {
    time?: string;
    value?: number;
    tags?: Record<string, string>;
    metadata?: Record<string, string>;
  };
}

const TRACE_ID = /^[0-9a-f]{32}$/;

/** The sample a JSON line holds when it is a traced `http_req_duration` point, else undefined. */
export function timedRequestOf(line: string): TimedRequest | undefined {
  if (!line.includes('"http_req_duration"')) return undefined;
  let point: K6Point;
  try {
    point = JSON.parse(line) as K6Point;
  } catch {
    return undefined;
  }
  if (point.metric !== 'http_req_duration' || point.type !== 'Point' || !point.data) return undefined;
  const traceId = point.data.metadata?.trace_id;
  const ms = point.data.value;
  if (traceId === undefined || !TRACE_ID.test(traceId) || typeof ms !== 'number') return undefined;
  const tags = point.data.tags ?? {};
  return {
    traceId,
    ms,
    endpoint: tags.endpoint ?? tags.name ?? 'request',
    status: Number(tags.status ?? 0),
    at: point.data.time ?? '',
  };
}

/** Adds `request` to `kept` (slowest first, at most `max`) when it is among the slowest so far. */
function offer(kept: TimedRequest[], request: TimedRequest, max: number): void {
  if (kept.length === max && request.ms <= (kept.at(-1)?.ms ?? 0)) return;
  const at = kept.findIndex((other) => other.ms < request.ms);
  kept.splice(at === -1 ? kept.length : at, 0, request);
  if (kept.length > max) kept.pop();
}

/** The `max` slowest of what it is shown, slowest first. */
export function slowestOf(requests: Iterable<TimedRequest>, max = SLOWEST_KEPT): TimedRequest[] {
  const kept: TimedRequest[] = [];
  for (const request of requests) offer(kept, request, max);
  return kept;
}

/** The slowest traced requests of a k6 JSON output file (read as a stream: it can be large). */
export async function slowestRequestsIn(pointsFile: string, max = SLOWEST_KEPT): Promise<TimedRequest[]> {
  if (!fs.existsSync(pointsFile)) return [];
  const lines = readline.createInterface({ input: fs.createReadStream(pointsFile), crlfDelay: Infinity });
  const kept: TimedRequest[] = [];
  for await (const line of lines) {
    const request = timedRequestOf(line);
    if (request !== undefined) offer(kept, request, max);
  }
  return kept;
}

/**
 * Reads the trace of each slow request from Jaeger's query API and writes it as
 * `<dir>/traces/<trace id>.json`; waits `settleMs` first for the services' last span batches. A
 * trace Jaeger no longer holds (its in-memory store is bounded) or never got is left unlinked.
 */
export async function keepSlowTraces(
  requests: readonly TimedRequest[],
  jaegerUrl: string,
  dir: string,
  settleMs = 1_500,
): Promise<TimedRequest[]> {
  if (requests.length === 0) return [];
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const out: TimedRequest[] = [];
  for (const request of requests) {
    try {
      const answer = await fetch(`${jaegerUrl}/api/traces/${request.traceId}`, { signal: AbortSignal.timeout(5_000) });
      if (answer.status !== 200) {
        out.push(request);
        continue;
      }
      const file = path.join('traces', `${request.traceId}.json`);
      fs.mkdirSync(path.join(dir, 'traces'), { recursive: true });
      fs.writeFileSync(path.join(dir, file), await answer.text());
      out.push({ ...request, trace: file });
    } catch {
      out.push(request);
    }
  }
  return out;
}
