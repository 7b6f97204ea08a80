import type { ResilienceEvent } from '../observe/ResilienceLogCollector.ts';
import type { TappedRequest } from '../system/HttpTap.ts';
import type { PolicySettings } from '../observe/effectivePolicies.ts';
import { breakerIntervals, transitionsOf, type BreakerInterval } from './breakerStates.ts';
import { check, oracleResult, type OracleCheck, type OracleResult } from './OracleResult.ts';
import { callGroups } from './tapGroups.ts';

export interface BreakerOracleInput {
  /** The collected resilience events (all services; the oracle picks its breaker's). */
  events: readonly ResilienceEvent[];
  service: string;
  dependency: string;
  settings: PolicySettings;
  /** What reached the dependency (the link's tap); undefined when the link is not tapped. */
  requests?: readonly TappedRequest[];
  /** The breaker must close again before the end. */
  closesAgain: boolean;
  /** When observation started (the breaker is closed then). */
  startMs: number;
  /** Slack for clocks, scheduling and upstream latency toxics (ms). */
  toleranceMs: number;
}

/** Both ends of an open interval are stamped by the same process clock: only rounding is allowed for. */
const CLOCK_SLACK_MS = 5;

/**
 * The circuit breaker pattern: it opens once `threshold` consecutive attempts failed (not before;
 * the kit's breaker sits inside the retries, so every attempt counts),
 * calls are short-circuited while it is open and no new call reaches the dependency, it turns
 * half-open only after `halfOpenAfterMs`, lets a single probe through, and (when the fault is
 * gone) closes again.
 */
export function breakerOracle(input: BreakerOracleInput): OracleResult {
  const { service, dependency, settings } = input;
  const own = input.events.filter((event) => event.service === service && event.dependency === dependency);
  const transitions = transitionsOf(own, service, dependency);
  const intervals = breakerIntervals(own, service, dependency, input.startMs);
  const opened = intervals.filter((interval) => interval.state === 'open');
  const checks: OracleCheck[] = [];

  checks.push(
    check(
      'opens',
      opened.length > 0,
      opened.length > 0
        ? `opened ${opened.length} time(s); transitions: ${transitions.map((t) => `${t.from}→${t.to}`).join(', ')}`
        : `never opened (${transitions.length} transitions, ${own.filter((e) => e.type === 'call' && e.outcome !== 'success').length} failed calls)`,
    ),
  );
  if (opened.length === 0) return oracleResult(`breaker ${service} → ${dependency}`, checks);

  const firstOpens = opened.filter((interval) => interval.from === 'closed');
  const counts = firstOpens.map((interval) => failedAttemptsBefore(own, interval));
  const tooEarly = counts.filter((count) => count < settings.breaker.threshold);
  const tooLate = counts.filter((count) => count > 2 * settings.breaker.threshold + 2);
  checks.push(
    check(
      'opens-at-threshold',
      firstOpens.length > 0 && tooEarly.length === 0 && tooLate.length === 0,
      `threshold ${settings.breaker.threshold}; failed attempts before each opening (since the last success): ${counts.join(', ') || 'none from closed'}`,
    ),
  );

  const shortCircuits = own.filter((event) => event.type === 'short_circuited' && inAny(opened, event.atMs, 0));
  checks.push(
    check(
      'short-circuits-while-open',
      shortCircuits.length > 0,
      `${shortCircuits.length} calls rejected by the open circuit`,
    ),
  );

  const halfOpen = intervals.filter((interval) => interval.state === 'half-open');
  checks.push(noCallsWhileOpen(input, own, opened));
  const early = halfOpen.filter((interval) => {
    const before = opened.find((open) => open.toMs === interval.fromMs && open.pid === interval.pid);
    return before !== undefined && interval.fromMs - before.fromMs < settings.breaker.halfOpenAfterMs - CLOCK_SLACK_MS;
  });
  checks.push(
    check(
      'half-open-after-delay',
      early.length === 0,
      early.length === 0
        ? `${halfOpen.length} half-open transition(s), none before ${settings.breaker.halfOpenAfterMs} ms`
        : `${early.length} half-open transition(s) earlier than ${settings.breaker.halfOpenAfterMs} ms after opening`,
    ),
  );
  checks.push(singleProbe(input, own, halfOpen));
  if (input.closesAgain) {
    const closed = transitions.filter((t) => t.from === 'half-open' && t.to === 'closed');
    const last = intervals.at(-1);
    const successAfter = own.filter(
      (e) => e.type === 'call' && e.outcome === 'success' && closed.some((t) => e.atMs > t.atMs),
    );
    checks.push(
      check(
        'closes-again',
        closed.length > 0 && last?.state === 'closed' && successAfter.length > 0,
        `${closed.length} half-open → closed transition(s); ends ${last?.state ?? '?'}; ${successAfter.length} successful calls after closing`,
      ),
    );
  }
  return oracleResult(`breaker ${service} → ${dependency}`, checks);
}

/** Failed executions since the last success before the breaker opened (failed attempts minus retries). */
function failedAttemptsBefore(events: readonly ResilienceEvent[], open: BreakerInterval): number {
  const before = events.filter((e) => e.pid === open.pid && open.seq !== undefined && e.seq < open.seq);
  const lastSuccess = before.filter((e) => e.type === 'call' && e.outcome === 'success').at(-1)?.seq ?? -1;
  return before.filter((e) => e.seq > lastSuccess && e.type === 'call' && e.outcome !== 'success').length;
}

/**
 * The interval `atMs` falls in, leaving out `slackMs` after its start (calls already on their
 * way) and the clock's rounding before its end (event times are whole milliseconds while
 * durations are not, so a call that started right after the next transition can appear to have
 * started a millisecond before it).
 */
function inAny(intervals: readonly BreakerInterval[], atMs: number, slackMs: number): BreakerInterval | undefined {
  return intervals.find((interval) => atMs >= interval.fromMs + slackMs && atMs < interval.toMs - CLOCK_SLACK_MS);
}

/**
 * No new call reaches the dependency while the circuit is open. With a tap that is exact: no call
 * (traceparent group) whose first attempt arrives inside an open interval; attempts of calls
 * admitted before the opening may still finish their retries. Without a tap the log is used:
 * no attempt starts inside an open interval unless a retry was scheduled just before it.
 */
function noCallsWhileOpen(
  input: BreakerOracleInput,
  own: readonly ResilienceEvent[],
  opened: BreakerInterval[],
): OracleCheck {
  const slack = input.toleranceMs;
  const fromLog = noAttemptsStartedWhileOpen(input, own, opened);
  if (input.requests !== undefined) {
    const admitted = callGroups(input.requests).filter((group) => {
      const first = group.attempts[0];
      return first !== undefined && inAny(opened, first.startMs, slack) !== undefined;
    });
    return check(
      'no-calls-reach-dependency-while-open',
      admitted.length === 0 && fromLog.passed,
      `${
        admitted.length === 0
          ? `the tap saw no new call arrive while open (${input.requests.length} requests observed)`
          : `${admitted.length} call(s) reached the dependency while open, e.g. ${admitted[0]?.method} ${admitted[0]?.path} at +${(admitted[0]?.attempts[0]?.startMs ?? 0) - input.startMs} ms`
      }; ${fromLog.detail}`,
    );
  }
  return fromLog;
}

function noAttemptsStartedWhileOpen(
  input: BreakerOracleInput,
  own: readonly ResilienceEvent[],
  opened: BreakerInterval[],
): OracleCheck {
  const slack = input.toleranceMs;
  const retries = own.filter((e) => e.type === 'retry');
  const maxGap = input.settings.retry.maxDelayMs + slack;
  const leaked = own.filter((e) => {
    if (e.type !== 'call') return false;
    const start = e.atMs - e.durationMs;
    if (inAny(opened, start, slack) === undefined) return false;
    return !retries.some(
      (r) => r.type === 'retry' && r.pid === e.pid && r.atMs <= start + slack && start - r.atMs <= maxGap,
    );
  });
  return check(
    'no-calls-reach-dependency-while-open',
    leaked.length === 0,
    leaked.length === 0
      ? 'no new attempt started while open (from the event log)'
      : `${leaked.length} attempt(s) started while open`,
  );
}

/** Half-open admits one probe: at most one new call per half-open interval. */
function singleProbe(
  input: BreakerOracleInput,
  own: readonly ResilienceEvent[],
  halfOpen: BreakerInterval[],
): OracleCheck {
  const probes = halfOpen.map((interval) => {
    if (input.requests !== undefined) {
      return callGroups(input.requests).filter((group) => {
        const first = group.attempts[0];
        return (
          first !== undefined &&
          first.startMs >= interval.fromMs - input.toleranceMs &&
          first.startMs < interval.toMs - CLOCK_SLACK_MS
        );
      }).length;
    }
    const retries = own.filter((e) => e.type === 'retry' && e.pid === interval.pid);
    return own.filter((e) => {
      if (e.type !== 'call' || e.pid !== interval.pid) return false;
      const start = e.atMs - e.durationMs;
      const continuation = retries.some((r) => r.atMs <= start + input.toleranceMs && r.atMs >= interval.fromMs);
      return start >= interval.fromMs - input.toleranceMs && start < interval.toMs - CLOCK_SLACK_MS && !continuation;
    }).length;
  });
  const many = probes.filter((count) => count > 1);
  return check(
    'single-probe-when-half-open',
    many.length === 0,
    halfOpen.length === 0 ? 'never half-open' : `new calls per half-open interval: ${probes.join(', ')}`,
  );
}
