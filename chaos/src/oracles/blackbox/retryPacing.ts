import { check, type OracleCheck } from '../OracleResult.ts';
import type { RetryWait } from './retryWaits.ts';

/** The fewest waits that can tell full jitter from a fixed delay, or from a tight loop. */
export const MIN_PACING_SAMPLES = 3;
/** Full jitter waits half the ceiling on average; a caller averaging under a tenth of it is looping. */
const TIGHT_LOOP_RATIO = 0.1;
/** Waits at one retry vary when they spread over more than this (ms) ... */
const JITTER_MIN_SPREAD_MS = 5;
/** ... and more than this share of the ceiling. */
const JITTER_SPREAD_RATIO = 0.02;

/** Waits the promise paces (those answering a Retry-After follow the dependency instead). */
const paced = (waits: readonly RetryWait[]): RetryWait[] => waits.filter((w) => w.retryAfterMs === undefined);

/**
 * `no-tight-loop`: with full jitter a single wait may be near 0, so the bound is on the mean: the
 * waits average at least 10 % of their ceilings (full jitter averages 50 %). Judged from 3 waits;
 * without jitter each wait is held to its ceiling by the envelope instead.
 */
export function noTightLoop(waits: readonly RetryWait[]): OracleCheck {
  const samples = paced(waits);
  if (samples.length < MIN_PACING_SAMPLES)
    return check('no-tight-loop', true, `not judged: ${samples.length} paced retries (${MIN_PACING_SAMPLES} needed)`);
  const ratio = samples.reduce((sum, w) => sum + Math.max(0, w.waitMs) / Math.max(1, w.ceilingMs), 0) / samples.length;
  return check(
    'no-tight-loop',
    ratio >= TIGHT_LOOP_RATIO,
    `${samples.length} retries waited on average ${(ratio * 100).toFixed(0)} % of their backoff ceiling ` +
      `(at least ${TIGHT_LOOP_RATIO * 100} %; shortest wait ${Math.min(...samples.map((w) => w.waitMs))} ms)`,
  );
}

/** Waits at one retry index whose spread alone decides: 6 waits of a jitter fall within 10 % of its window with p < 0.0001. */
export const LOCKSTEP_SAMPLES_ONE_INDEX = 6;
/** Tight waits, summed over the judged retry indexes, that decide when no index shows a spread. */
export const LOCKSTEP_SAMPLES_ALL = 5;

/**
 * `retry-jitter`: a fixed delay makes every caller retry in lockstep. At each retry index with 3
 * waits or more, the waits are tight when they spread over at most max(5 ms, 2 % of the ceiling).
 * Few waits can be tight by chance under jitter (4 waits of the kit's equal jitter, 50 ms wide,
 * fall within 5 ms with a probability of about 0.4 %; 3 waits about 3 %), so the check fails when
 * the evidence adds up: an index with 6 tight waits or more, or every judged index tight with 5
 * waits or more among them. An index whose waits spread shows the caller jitters.
 */
export function retryJitter(waits: readonly RetryWait[]): OracleCheck {
  const byRetry = new Map<number, RetryWait[]>();
  for (const wait of paced(waits)) byRetry.set(wait.retry, [...(byRetry.get(wait.retry) ?? []), wait]);
  const judged = [...byRetry.entries()].filter(([, samples]) => samples.length >= MIN_PACING_SAMPLES);
  if (judged.length === 0)
    return check('retry-jitter', true, `not judged: fewer than ${MIN_PACING_SAMPLES} paced waits at any one retry`);
  const spreads = judged.map(([retry, samples]) => {
    const times = samples.map((w) => w.waitMs);
    const spread = Math.max(...times) - Math.min(...times);
    const needed = Math.max(JITTER_MIN_SPREAD_MS, JITTER_SPREAD_RATIO * (samples[0]?.ceilingMs ?? 0));
    return {
      tight: spread <= needed,
      count: samples.length,
      text: `retry ${retry}: ${samples.length} waits ${Math.min(...times)}–${Math.max(...times)} ms (spread ${spread}, needed > ${needed})`,
    };
  });
  const tightWaits = spreads.filter((s) => s.tight).reduce((sum, s) => sum + s.count, 0);
  const lockstep =
    spreads.some((s) => s.tight && s.count >= LOCKSTEP_SAMPLES_ONE_INDEX) ||
    (spreads.every((s) => s.tight) && tightWaits >= LOCKSTEP_SAMPLES_ALL);
  const undecided =
    !lockstep && spreads.every((s) => s.tight)
      ? ` — not judged: ${tightWaits} tight waits could be jitter by chance (${LOCKSTEP_SAMPLES_ALL} needed)`
      : '';
  return check('retry-jitter', !lockstep, spreads.map((s) => s.text).join('; ') + undecided);
}
