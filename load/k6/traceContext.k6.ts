import { randomBytes } from 'k6/crypto';
import exec from 'k6/execution';

const hex = (length: number): string =>
  Array.from(new Uint8Array(randomBytes(length)), (byte) => byte.toString(16).padStart(2, '0')).join('');

/**
 * A W3C `traceparent` for the next request: a fresh trace, sampled, so the services continue it
 * and their spans land under a trace id the harness knows. The id also goes into the VU's metric
 * metadata (`trace_id`, not a tag: it does not split the metrics), so every sample of the request
 * in k6's JSON output names its trace, and the load report can link the slowest requests to theirs.
 */
export function traceHeaders(): { traceparent: string } {
  const traceId = hex(16);
  exec.vu.metrics.metadata['trace_id'] = traceId;
  return { traceparent: `00-${traceId}-${hex(8)}-01` };
}
