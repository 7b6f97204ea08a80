import type { ConstantArrivalRateScenario, RampingArrivalRateScenario } from 'k6/options';
import { parseDurationSeconds, seconds } from './duration.k6.ts';

/**
 * The shared load profiles. Every one is an open model (arrival-rate executor): k6 starts
 * journeys at the given rate whatever the system's latency, so a slow system shows up as latency
 * and dropped iterations instead of quietly lowering the load.
 *
 * `rate` is the target (or peak) journeys per second, `duration` the whole run.
 */
export const PROFILE_NAMES = ['smoke', 'average', 'stress', 'spike', 'soak', 'breakpoint'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export type ArrivalScenario = ConstantArrivalRateScenario | RampingArrivalRateScenario;

export interface ProfileDefaults {
  rate: number;
  duration: string;
  description: string;
}

export const PROFILE_DEFAULTS: Record<ProfileName, ProfileDefaults> = {
  smoke: { rate: 2, duration: '10s', description: 'a trickle of journeys: the system works end to end' },
  average: { rate: 20, duration: '1m', description: 'ramp up to typical traffic, hold it, ramp down' },
  stress: { rate: 200, duration: '2m', description: 'ramp well above typical traffic and hold it' },
  spike: { rate: 300, duration: '1m', description: 'a sudden burst from near idle, then back' },
  soak: { rate: 20, duration: '30m', description: 'typical traffic held for a long time (leaks, drift)' },
  breakpoint: { rate: 1000, duration: '5m', description: 'rise steadily until an SLO breaks (aborts there)' },
};

/** VUs an arrival-rate executor may use: enough for ~1 s journeys at the peak, bounded. */
function vusFor(rate: number): { preAllocatedVUs: number; maxVUs: number } {
  const maxVUs = Math.min(400, Math.max(20, Math.ceil(rate)));
  return { preAllocatedVUs: Math.min(maxVUs, Math.max(5, Math.ceil(rate * 0.3))), maxVUs };
}

/** Splits a run into stages by shares of its duration. */
function stagesOf(total: number, shape: Array<[share: number, target: number]>): RampingArrivalRateScenario['stages'] {
  return shape.map(([share, target]) => ({ duration: seconds(total * share), target: Math.round(target) }));
}

export function scenarioFor(name: ProfileName, rate: number, duration: string, exec = 'default'): ArrivalScenario {
  const total = parseDurationSeconds(duration);
  const vus = vusFor(rate);
  const base = { exec, gracefulStop: '10s', tags: { profile: name } };
  switch (name) {
    case 'smoke':
    case 'soak':
      return { ...base, ...vus, executor: 'constant-arrival-rate', rate, timeUnit: '1s', duration: seconds(total) };
    case 'average':
      return {
        ...base,
        ...vus,
        executor: 'ramping-arrival-rate',
        startRate: 1,
        timeUnit: '1s',
        stages: stagesOf(total, [
          [0.2, rate],
          [0.6, rate],
          [0.2, 1],
        ]),
      };
    case 'stress':
      return {
        ...base,
        ...vus,
        executor: 'ramping-arrival-rate',
        startRate: 1,
        timeUnit: '1s',
        stages: stagesOf(total, [
          [0.25, rate],
          [0.6, rate],
          [0.15, 1],
        ]),
      };
    case 'spike':
      return {
        ...base,
        ...vus,
        executor: 'ramping-arrival-rate',
        startRate: 1,
        timeUnit: '1s',
        stages: stagesOf(total, [
          [0.3, Math.max(1, rate * 0.05)],
          [0.05, rate],
          [0.2, rate],
          [0.05, Math.max(1, rate * 0.05)],
          [0.4, Math.max(1, rate * 0.05)],
        ]),
      };
    case 'breakpoint':
      return {
        ...base,
        ...vus,
        executor: 'ramping-arrival-rate',
        startRate: 1,
        timeUnit: '1s',
        stages: stagesOf(total, [[1, rate]]),
      };
  }
}

export function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(name);
}
