import type { CallerAnswer } from '../../src/oracles/blackbox/CallerAnswer.ts';
import type { FaultWindow } from '../../src/oracles/blackbox/BlackBoxInput.ts';
import type { OracleResult } from '../../src/oracles/OracleResult.ts';
import type { TappedRequest } from '../../src/system/HttpTap.ts';

/** Synthetic wire records: what a tap would have recorded, and what the workload saw. */
export const LINK = 'L5';

/** One attempt at the dependency: GET /charges answered 200 unless told otherwise. */
export function attempt(startMs: number, durationMs: number, overrides: Partial<TappedRequest> = {}): TappedRequest {
  return {
    link: LINK,
    method: 'GET',
    path: '/charges',
    idempotencyKey: undefined,
    traceparent: undefined,
    startMs,
    endMs: startMs + durationMs,
    status: 200,
    retryAfterMs: undefined,
    callerGone: false,
    callerGoneMs: undefined,
    ...overrides,
  };
}

export function answer(startMs: number, durationMs: number, status: number, key?: string): CallerAnswer {
  return key === undefined
    ? { startMs, endMs: startMs + durationMs, status }
    : { startMs, endMs: startMs + durationMs, status, key };
}

export const failedChecks = (result: OracleResult): string[] =>
  result.checks.filter((c) => !c.passed).map((c) => c.name);

export const detailOf = (result: OracleResult, name: string): string =>
  result.checks.find((c) => c.name === name)?.detail ?? `no check ${name}`;

/** A deterministic random source (mulberry32), so jittered timelines are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A serial workload: one call every `everyMs` (or as soon as the previous one is answered). */
export interface SerialWorkload {
  calls: number;
  everyMs: number;
  /** How long the dependency takes to answer an attempt. */
  attemptMs: number;
  fault: FaultWindow;
}

export interface Wire {
  requests: TappedRequest[];
  answers: CallerAnswer[];
}
