import { mutantActive } from '../mutants.ts';
import type { ResilienceSettings } from './resilienceSettings.ts';

/**
 * Upper bound of the wait before retry number `retry` (1 = first retry): exponential from
 * `initialDelayMs`, capped at `maxDelayMs`.
 */
export function backoffCeilingMs(retry: number, settings: ResilienceSettings['retry']): number {
  return Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** Math.max(0, retry - 1));
}

/**
 * The wait before retry number `retry`, with "equal jitter": uniformly in
 * [ceiling / 2, ceiling], so retries spread out yet never come back sooner than half the backoff.
 */
export function jitteredBackoffMs(
  retry: number,
  settings: ResilienceSettings['retry'],
  random: () => number = Math.random,
): number {
  const ceiling = backoffCeilingMs(retry, settings);
  // Mutant retry-jitter-off (harness mutate only): every caller waits the same, in lockstep.
  if (mutantActive('retry-jitter-off')) return ceiling;
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
