import type { TappedRequest } from '../../system/HttpTap.ts';
import type { CallerAnswer } from './CallerAnswer.ts';
import { byStart } from './measures.ts';
import { check, type OracleCheck } from '../OracleResult.ts';

/** Which rule put a call's attempts together. */
export type GroupingRule = 'idempotency-key' | 'trace-id' | 'answer-window' | 'alone';

/** The attempts of one call of the caller, as they reached the dependency (earliest first). */
export interface Call {
  method: string;
  path: string;
  rule: GroupingRule;
  attempts: TappedRequest[];
}

export interface CallGrouping {
  calls: Call[];
  /** Requests whose call cannot be told: no key, no traceparent, and the answers overlap in time. */
  ambiguous: TappedRequest[];
}

/**
 * Groups what reached the dependency into the caller's calls, without relying on any kit:
 * 1. the same method, path and Idempotency-Key are one call; when the caller's answers never
 *    overlap (a serial workload), only within one answer's window, as a key names an operation
 *    that a recovery loop or the client may drive again later (a keyed request between answers
 *    is a call of its own);
 * 2. else the same method, path and W3C trace-id (the traceparent's second field: an instrumented
 *    client may open a new span, hence a new parent-id, for every attempt);
 * 3. else, when the caller's answers never overlap in time (a serial workload), the requests with
 *    the same method and path that start inside one answer's [startMs, endMs] are one call; a
 *    request outside every answer is a call of its own (`alone`);
 * 4. else (answers overlap) the request is `ambiguous`: its attempts cannot be told apart.
 * Two calls to the same method and path inside one trace or one answer read as one call.
 */
export function groupCalls(requests: readonly TappedRequest[], answers: readonly CallerAnswer[]): CallGrouping {
  const groups = new Map<string, Call>();
  const ambiguous: TappedRequest[] = [];
  const windows = serialAnswerWindows(answers);
  let alone = 0;
  const add = (key: string, rule: GroupingRule, request: TappedRequest): void => {
    const call = groups.get(key) ?? { method: request.method, path: request.path, rule, attempts: [] };
    call.attempts.push(request);
    groups.set(key, call);
  };
  for (const request of [...requests].sort(byStart)) {
    const target = `${request.method} ${request.path}`;
    if (request.idempotencyKey !== undefined) {
      // A key names an operation, not one call: a caller may drive it again later (a recovery
      // loop, the client's own retry). With serial answers, one answer window is one call; a
      // request in a gap between answers belongs to no call of the workload (a background
      // re-drive), so it is a call of its own: re-drives seconds apart are not retries.
      const slot = windowSlot(windows, request);
      add(
        `key ${target} ${request.idempotencyKey} ${slot === 'gap' ? `gap ${alone++}` : slot}`,
        'idempotency-key',
        request,
      );
    } else if (request.traceparent !== undefined) {
      add(`trace ${target} ${traceIdOf(request.traceparent)}`, 'trace-id', request);
    } else if (windows === undefined) {
      ambiguous.push(request);
    } else {
      const index = windows.findLastIndex((a) => request.startMs >= a.startMs && request.startMs <= a.endMs);
      if (index >= 0) add(`window ${target} ${index}`, 'answer-window', request);
      else add(`alone ${alone++}`, 'alone', request);
    }
  }
  return { calls: [...groups.values()], ambiguous };
}

/** The trace-id of a W3C traceparent (`00-<trace-id>-<parent-id>-<flags>`), or the whole value. */
export function traceIdOf(traceparent: string): string {
  const parts = traceparent.trim().split('-');
  return parts.length === 4 && parts[1]?.length === 32 ? parts[1] : traceparent;
}

/** Which answer window a request falls in (`w3`), `gap` when in none; '' without serial answers. */
function windowSlot(windows: readonly CallerAnswer[] | undefined, request: TappedRequest): string {
  if (windows === undefined) return '';
  const inside = windows.findLastIndex((a) => request.startMs >= a.startMs && request.startMs <= a.endMs);
  return inside >= 0 ? `w${inside}` : 'gap';
}

/** The answers in time order when none overlaps the next (a serial workload), else undefined. */
function serialAnswerWindows(answers: readonly CallerAnswer[]): CallerAnswer[] | undefined {
  if (answers.length === 0) return undefined;
  const sorted = [...answers].sort(byStart);
  const overlapping = sorted.some((answer, index) => index > 0 && answer.startMs < (sorted[index - 1]?.endMs ?? 0));
  return overlapping ? undefined : sorted;
}

/** The `call-grouping` check: fails when some requests could not be put into calls. */
export function groupingCheck(grouping: CallGrouping): OracleCheck {
  const count = (rule: GroupingRule): number => grouping.calls.filter((call) => call.rule === rule).length;
  const summary =
    `${grouping.calls.length} calls: ${count('idempotency-key')} by Idempotency-Key, ${count('trace-id')} by trace-id, ` +
    `${count('answer-window')} by answer window, ${count('alone')} outside every answer`;
  if (grouping.ambiguous.length === 0) return check('call-grouping', true, summary);
  return check(
    'call-grouping',
    false,
    `${grouping.ambiguous.length} request(s) carry neither an Idempotency-Key nor a traceparent while the caller's ` +
      `answers overlap in time, so which of them are attempts of one call cannot be told (they are left out); ` +
      `send a key or a traceparent, or drive the link with a serial workload. ${summary}`,
  );
}
