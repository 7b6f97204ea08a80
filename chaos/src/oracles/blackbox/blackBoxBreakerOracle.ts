import type { TappedRequest } from '../../system/HttpTap.ts';
import { check, oracleResult, type OracleCheck, type OracleResult } from '../OracleResult.ts';
import { callerEndOf } from '../tapGroups.ts';
import type { BlackBoxInputWith } from './BlackBoxInput.ts';
import { answerLatency, isRefusal, isSuccess } from './CallerAnswer.ts';
import { attemptFailed, byStart, CLOCK_SLACK_MS, fastAnswerMs } from './measures.ts';
import { consecutiveFailures, quietStretches, type QuietStretch } from './quietStretches.ts';

/**
 * A circuit breaker seen only from the wire, during a sustained fault (every attempt fails: a
 * 5xx, no answer, or abandoned by the caller):
 * - `breaker-engaged`: at some point during the fault nothing reached the dependency while the
 *   caller kept answering (a quiet stretch); a caller without a breaker never shows one.
 * - `opens-at-threshold`: before each opening from closed, at least `threshold` consecutive failed
 *   attempts, and none started later than `toleranceMs` after the threshold-th one came back
 *   (attempts already in flight then may still fail: that is the allowance).
 * - `answers-fast-while-open`: every answer inside a quiet stretch is a refusal (not 2xx, not
 *   missing) within max(100 ms, timeoutMs / 2); with `fallback` promised, a fast 2xx counts too
 *   (the caller answers without the dependency), a missing answer still fails.
 * - `half-open-after-delay`: the probe ending a quiet stretch starts no sooner than
 *   `halfOpenAfterMs - toleranceMs` after the breaker could first have opened (when the
 *   threshold-th failure, or the failed probe, came back).
 * - `single-probe`: nothing else starts while the probe is in flight (nor within 5 ms of it).
 * - `flows-again` (later only excused when the caller answered nothing in between): after the fault a successful attempt reaches the dependency within
 *   `halfOpenAfterMs + timeoutMs + toleranceMs`, and the caller answers 2xx again.
 * Assumes one caller instance on the link (each instance has its own breaker).
 */
export function blackBoxBreakerOracle(input: BlackBoxInputWith<'breaker'>): OracleResult {
  const { fault, toleranceMs } = input;
  const { threshold } = input.promise.breaker;
  const name = `black-box breaker ${input.link}`;
  const during = input.requests.filter((r) => r.startMs >= fault.startMs && r.startMs < fault.endMs);
  const stretches = quietStretches(input.requests, input.answers, fault, toleranceMs);
  // Fewer consecutive failures than the threshold: no breaker could have opened, so its absence
  // proves nothing (the workload was too light for the fault, e.g. a slow serial caller).
  const longestRun = longestFailedRun(during);
  if (stretches.length === 0 && longestRun < threshold)
    return oracleResult(name, [
      check(
        'breaker-engaged',
        true,
        `not judged: at most ${longestRun} consecutive failed attempts during the fault (${during.length} attempts), fewer than the threshold ${threshold}: nothing could open a breaker`,
      ),
    ]);
  const engaged = check(
    'breaker-engaged',
    stretches.length > 0,
    stretches.length > 0
      ? `${stretches.length} stretch(es) during the fault with nothing reaching the dependency while the caller answered`
      : `${during.length} attempts reached the dependency during the ${fault.endMs - fault.startMs} ms fault ` +
          `(${during.filter(attemptFailed).length} failed, threshold ${threshold}) and the caller never stopped ` +
          `sending while it answered: no breaker opened`,
  );
  if (stretches.length === 0) return oracleResult(name, [engaged]);

  const sorted = [...input.requests].sort(byStart);
  return oracleResult(name, [
    engaged,
    opensAtThreshold(stretches, threshold, toleranceMs),
    fastWhileOpen(input, stretches),
    halfOpenAfterDelay(input, stretches),
    singleProbe(sorted, stretches),
    flowsAgain(input),
  ]);
}

/** The longest run of failed attempts, in the order they ended. */
function longestFailedRun(attempts: readonly TappedRequest[]): number {
  let longest = 0;
  let run = 0;
  for (const attempt of [...attempts].sort((a, b) => callerEndOf(a) - callerEndOf(b))) {
    run = attemptFailed(attempt) ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

/** The first stretch follows a closed breaker, and so does any stretch after a successful attempt. */
const fromClosed = (stretch: QuietStretch, index: number): boolean =>
  index === 0 || stretch.before.some((attempt) => !attemptFailed(attempt));

function opensAtThreshold(stretches: readonly QuietStretch[], threshold: number, toleranceMs: number): OracleCheck {
  const findings = stretches.filter(fromClosed).map((stretch) => {
    const failures = consecutiveFailures(stretch.before);
    const thresholdFailure = failures[threshold - 1];
    const sentAfter =
      thresholdFailure === undefined
        ? []
        : failures.filter((attempt) => attempt.startMs > callerEndOf(thresholdFailure) + toleranceMs);
    const inFlight = Math.max(0, failures.length - threshold - sentAfter.length);
    return {
      ok: failures.length >= threshold && sentAfter.length === 0,
      text: `${failures.length} (${inFlight} already in flight when failure #${threshold} came back, ${sentAfter.length} sent after it)`,
    };
  });
  return check(
    'opens-at-threshold',
    findings.every((finding) => finding.ok),
    `threshold ${threshold}, tolerance ${toleranceMs} ms; consecutive failed attempts before each opening: ` +
      findings.map((finding) => finding.text).join('; '),
  );
}

function fastWhileOpen(input: BlackBoxInputWith<'breaker'>, stretches: readonly QuietStretch[]): OracleCheck {
  const fastMs = fastAnswerMs(input.promise);
  const fallback = input.promise.breaker.fallback === true;
  const answered = stretches.flatMap((stretch) => stretch.answered);
  const slow = answered.filter((answer) => answerLatency(answer) > fastMs);
  // With a fallback the caller may answer 2xx without the dependency; it must still answer.
  const wrong = answered.filter((answer) => (fallback ? answer.status === 0 : !isRefusal(answer)));
  const expected = fallback ? 'no answer' : `not a refusal (2xx or no answer`;
  return check(
    'answers-fast-while-open',
    slow.length === 0 && wrong.length === 0,
    `${answered.length} answers while nothing reached the dependency: slowest ${Math.max(...answered.map(answerLatency))} ms ` +
      `(bound ${fastMs} ms = max(100, timeoutMs / 2)), ${slow.length} slower, ` +
      `${wrong.length} ${expected}${wrong[0] ? `, e.g. status ${wrong[0].status}` : ''}${fallback ? '' : ')'}` +
      (fallback ? ' (fallback promised: a fast 2xx counts)' : ''),
  );
}

function halfOpenAfterDelay(input: BlackBoxInputWith<'breaker'>, stretches: readonly QuietStretch[]): OracleCheck {
  const { threshold, halfOpenAfterMs } = input.promise.breaker;
  const probed = stretches.filter((stretch) => stretch.toMs !== Infinity);
  const delays = probed.map((stretch) => {
    const failures = consecutiveFailures(stretch.before);
    const opener = failures[Math.min(threshold, failures.length) - 1];
    return stretch.toMs - (opener === undefined ? stretch.fromMs : callerEndOf(opener));
  });
  const early = delays.filter((delay) => delay < halfOpenAfterMs - input.toleranceMs);
  return check(
    'half-open-after-delay',
    early.length === 0,
    probed.length === 0
      ? 'no probe reached the dependency after the breaker opened'
      : `probe(s) ${delays.join(', ')} ms after the breaker could first have opened ` +
          `(half-open after ${halfOpenAfterMs} ms, tolerance ${input.toleranceMs} ms); ${early.length} too early`,
  );
}

function singleProbe(sorted: readonly TappedRequest[], stretches: readonly QuietStretch[]): OracleCheck {
  const inFlight = stretches
    .filter((stretch) => stretch.toMs !== Infinity)
    .map((stretch) => {
      const probe = sorted.find((request) => request.startMs >= stretch.toMs);
      if (probe === undefined) return 0;
      const until = Math.max(callerEndOf(probe), probe.startMs + CLOCK_SLACK_MS);
      return sorted.filter((request) => request.startMs >= probe.startMs && request.startMs < until).length;
    });
  return check(
    'single-probe',
    inFlight.every((count) => count <= 1),
    inFlight.length === 0
      ? 'never half-open'
      : `attempts reaching the dependency together when half-open, per probe: ${inFlight.join(', ')} (at most 1)`,
  );
}

function flowsAgain(input: BlackBoxInputWith<'breaker'>): OracleCheck {
  const { fault, toleranceMs } = input;
  const boundMs = input.promise.breaker.halfOpenAfterMs + (input.promise.timeoutMs ?? 0) + toleranceMs;
  if (!input.answers.some((answer) => answer.startMs >= fault.endMs))
    return check('flows-again', false, 'the workload sent no call after the fault ended: recovery not observed');
  const first = input.requests
    .filter((request) => request.startMs >= fault.endMs && !attemptFailed(request))
    .sort(byStart)[0];
  const succeeded = first ? input.answers.filter((a) => isSuccess(a) && a.endMs >= first.startMs).length : 0;
  // Later than the bound is only the breaker's doing if the caller was asked in between: when
  // nothing came from upstream, the first call after the fault simply came late.
  const refusedLate = first
    ? input.answers.filter((a) => a.startMs >= fault.endMs + boundMs && a.startMs < first.startMs && !isSuccess(a))
        .length
    : 0;
  const inTime = first !== undefined && (first.startMs - fault.endMs <= boundMs || refusedLate === 0);
  return check(
    'flows-again',
    inTime && succeeded > 0,
    first === undefined
      ? 'no attempt succeeded at the dependency after the fault ended'
      : `first successful attempt ${first.startMs - fault.endMs} ms after the fault ended ` +
          `(bound ${boundMs} ms = halfOpenAfterMs + timeoutMs + tolerance${
            first.startMs - fault.endMs > boundMs
              ? `; ${refusedLate} calls answered without success after the bound`
              : ''
          }); ${succeeded} 2xx answers since`,
  );
}
