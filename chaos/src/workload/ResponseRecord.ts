/** One request the workload sent through the gateway and what came back. */
export interface ResponseRecord {
  stream: string;
  kind: 'place' | 'read' | 'browse' | 'history';
  /** The checkout's Idempotency-Key (place) or the order read (read). */
  key: string;
  startMs: number;
  endMs: number;
  /** HTTP status; 0 when no answer came (connection error, client timeout). */
  status: number;
  retryAfter: string | undefined;
  /** The order id the answer names (201 id, 202 orderId, problem extension, view). */
  orderId: string | undefined;
  problemCode: string | undefined;
  detail: string | undefined;
  /** The 2xx body was complete and matched the request. */
  bodyIntact: boolean;
  error?: string;
  /** The trace the request started (the client sent its `traceparent`), when the client sets one. */
  traceId?: string;
  /** What the kit domain's client noticed in the answer (e.g. `stale`), for `marked` expectations. */
  marks?: readonly string[];
}

export const latencyOf = (record: ResponseRecord): number => record.endMs - record.startMs;

/** The p-quantile (0..1) of the latencies, nearest rank. */
export function percentile(latencies: readonly number[], p: number): number {
  if (latencies.length === 0) return 0;
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}
