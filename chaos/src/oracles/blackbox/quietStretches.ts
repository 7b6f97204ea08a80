import type { TappedRequest } from '../../system/HttpTap.ts';
import { callerEndOf } from '../tapGroups.ts';
import type { CallerAnswer } from './CallerAnswer.ts';
import { attemptFailed, byStart } from './measures.ts';

/**
 * A stretch with nothing in flight at the dependency, right after a failed attempt, in which the
 * caller still answered calls: the wire's view of an open circuit breaker.
 */
export interface QuietStretch {
  /** When the last attempt before it ended (as the caller saw it). */
  fromMs: number;
  /** When the next attempt (the probe) reached the dependency; Infinity when none did. */
  toMs: number;
  /** The attempts that reached the dependency since the previous stretch (or since the start), earliest first. */
  before: TappedRequest[];
  /** The answers that started and ended inside it: the caller answered them without the dependency. */
  answered: CallerAnswer[];
}

/**
 * The quiet stretches that begin during the fault (or up to `toleranceMs` after it: attempts
 * still in flight when it was lifted end later). Gaps are taken between busy periods at the
 * dependency, each attempt busy from its start to its end as the caller saw it.
 */
export function quietStretches(
  requests: readonly TappedRequest[],
  answers: readonly CallerAnswer[],
  fault: { startMs: number; endMs: number },
  toleranceMs: number,
): QuietStretch[] {
  const sorted = [...requests].sort(byStart);
  const gaps: Array<{ fromMs: number; toMs: number; lastFailed: boolean; firstIndex: number }> = [];
  let busyUntil = -Infinity;
  let lastFailed = false;
  sorted.forEach((request, index) => {
    if (request.startMs > busyUntil && busyUntil !== -Infinity)
      gaps.push({ fromMs: busyUntil, toMs: request.startMs, lastFailed, firstIndex: index });
    const end = callerEndOf(request);
    if (end >= busyUntil) {
      busyUntil = end;
      lastFailed = attemptFailed(request);
    }
  });
  if (busyUntil !== -Infinity) gaps.push({ fromMs: busyUntil, toMs: Infinity, lastFailed, firstIndex: sorted.length });

  const stretches: QuietStretch[] = [];
  let since = 0;
  for (const gap of gaps) {
    if (!gap.lastFailed || gap.fromMs < fault.startMs || gap.fromMs > fault.endMs + toleranceMs) continue;
    const answered = answers.filter((a) => a.startMs >= gap.fromMs && a.endMs <= gap.toMs);
    if (answered.length === 0) continue;
    stretches.push({ fromMs: gap.fromMs, toMs: gap.toMs, before: sorted.slice(since, gap.firstIndex), answered });
    since = gap.firstIndex;
  }
  return stretches;
}

/** The failed attempts since the last successful one, in the order they ended. */
export function consecutiveFailures(attempts: readonly TappedRequest[]): TappedRequest[] {
  const byEnd = [...attempts].sort((a, b) => callerEndOf(a) - callerEndOf(b));
  const lastSuccess = byEnd.findLastIndex((attempt) => !attemptFailed(attempt));
  return byEnd.slice(lastSuccess + 1);
}
