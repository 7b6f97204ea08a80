import type { TappedRequest } from '../../system/HttpTap.ts';
import type { LinkResilience } from './LinkResilience.ts';

/** Both ends of a gap measured at the tap come from one clock: only rounding is allowed for. */
export const CLOCK_SLACK_MS = 5;

/** The least an answer may take and still count as fast, whatever the timeout. */
const FAST_ANSWER_FLOOR_MS = 100;

/** A refusal without calling the dependency is fast: well under one attempt's timeout. */
export const fastAnswerMs = (promise: LinkResilience): number =>
  Math.max(FAST_ANSWER_FLOOR_MS, (promise.timeoutMs ?? 0) / 2);

/** An attempt failed as its caller saw it: a 5xx, no answer at all, or abandoned (timeout, reset). */
export const attemptFailed = (request: TappedRequest): boolean =>
  request.callerGone || request.status === undefined || request.status >= 500;

export const byStart = <T extends { startMs: number }>(a: T, b: T): number => a.startMs - b.startMs;

/** The most intervals open at the same time (an interval ending where another starts does not overlap it). */
export function peakOverlap(intervals: ReadonlyArray<{ startMs: number; endMs: number }>): number {
  const edges = intervals.flatMap((interval): Array<[number, number]> => [
    [interval.startMs, 1],
    [Math.max(interval.startMs, interval.endMs), -1],
  ]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let peak = 0;
  for (const [, delta] of edges) {
    current += delta;
    peak = Math.max(peak, current);
  }
  return peak;
}
