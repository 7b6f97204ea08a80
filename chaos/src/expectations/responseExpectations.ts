import type { ResponseExpectation } from '../scenario/Scenario.ts';
import { latencyOf, percentile, type ResponseRecord } from '../workload/ResponseRecord.ts';
import { describeWindow, spanInWindow, type WindowContext } from './windows.ts';

export interface ExpectationResult {
  expectation: string;
  passed: boolean;
  failures: string[];
  /** Responses the expectation looked at. */
  responses: number;
}

/** Checks what the workload got back, in one window, against one expectation. */
export function checkResponses(
  expectation: ResponseExpectation,
  responses: readonly ResponseRecord[],
  context: WindowContext,
): ExpectationResult {
  const name = `${expectation.stream} during ${describeWindow(expectation.window)}`;
  const inWindow = responses.filter(
    (r) => r.stream === expectation.stream && spanInWindow(expectation.window, r.startMs, r.endMs, context),
  );
  const failures: string[] = [];
  if (inWindow.length < expectation.minResponses) {
    failures.push(
      `only ${inWindow.length} responses in the window (at least ${expectation.minResponses} needed to prove anything)`,
    );
  }
  if (expectation.statuses) {
    const allowed = new Set(expectation.statuses);
    const other = inWindow.filter((r) => !allowed.has(r.status));
    if (other.length > 0) {
      const seen = [...new Set(other.map((r) => r.status))].join(', ');
      failures.push(
        `${other.length} responses with status ${seen} (allowed ${expectation.statuses.join(', ')})${sample(other)}`,
      );
    }
  }
  if (expectation.retryAfterOn503) {
    const bare = inWindow.filter((r) => r.status === 503 && r.retryAfter === undefined);
    if (bare.length > 0) failures.push(`${bare.length} 503 responses without Retry-After`);
  }
  if (expectation.serverErrorsCarryRetryAfter) {
    const bare = inWindow.filter((r) => r.status >= 500 && r.status < 600 && r.retryAfter === undefined);
    if (bare.length > 0)
      failures.push(
        `${bare.length} 5xx responses without Retry-After (${[...new Set(bare.map((r) => r.status))].join(', ')})${sample(bare)}`,
      );
  }
  if (expectation.minSuccessRatio !== undefined && inWindow.length > 0) {
    const ok = inWindow.filter((r) => r.status >= 200 && r.status < 300).length / inWindow.length;
    if (ok < expectation.minSuccessRatio) {
      failures.push(
        `success ratio ${ok.toFixed(2)} below ${expectation.minSuccessRatio}${sample(inWindow.filter((r) => r.status >= 300 || r.status === 0))}`,
      );
    }
  }
  const latencies = inWindow.map(latencyOf);
  if (expectation.maxP95Ms !== undefined && percentile(latencies, 0.95) > expectation.maxP95Ms) {
    failures.push(`p95 latency ${percentile(latencies, 0.95)} ms above ${expectation.maxP95Ms} ms`);
  }
  if (
    expectation.maxLatencyMs !== undefined &&
    latencies.length > 0 &&
    Math.max(...latencies) > expectation.maxLatencyMs
  ) {
    failures.push(`slowest response ${Math.max(...latencies)} ms above ${expectation.maxLatencyMs} ms`);
  }
  if (expectation.marked) {
    const { mark, min } = expectation.marked;
    const carrying = inWindow.filter((r) => r.marks?.includes(mark)).length;
    if (carrying < min) failures.push(`${carrying} responses marked ${mark} (at least ${min} expected)`);
  }
  if (expectation.bodiesIntact) {
    const broken = inWindow.filter((r) => r.status >= 200 && r.status < 300 && !r.bodyIntact);
    if (broken.length > 0) failures.push(`${broken.length} 2xx responses with an incomplete or wrong body`);
  }
  if (expectation.duplicatesAgree) {
    const idsByKey = new Map<string, Set<string>>();
    for (const r of inWindow) {
      if ((r.status === 201 || r.status === 202) && r.orderId !== undefined) {
        idsByKey.set(r.key, (idsByKey.get(r.key) ?? new Set()).add(r.orderId));
      }
    }
    const split = [...idsByKey.entries()].filter(([, ids]) => ids.size > 1);
    if (split.length > 0)
      failures.push(
        `${split.length} checkouts got more than one order id (${split[0]?.[0]}: ${[...(split[0]?.[1] ?? [])].join(', ')})`,
      );
  }
  return { expectation: name, passed: failures.length === 0, failures, responses: inWindow.length };
}

function sample(records: readonly ResponseRecord[]): string {
  const first = records[0];
  if (!first) return '';
  return `; e.g. ${first.status} ${first.problemCode ?? ''} ${first.detail ?? first.error ?? ''}`.trimEnd();
}
