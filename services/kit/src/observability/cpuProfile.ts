import { Session } from 'node:inspector/promises';

/** The bounds of one capture, in milliseconds. */
export const CPU_PROFILE_LIMITS = { minMs: 50, maxMs: 120_000 } as const;

/** V8's sampling interval for a capture, in microseconds (V8's default is 1000). */
const SAMPLING_INTERVAL_US = 500;

/** A V8 CPU profile (`Profiler.Profile`), the `.cpuprofile` format Chrome DevTools and speedscope open. */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; scriptId: string; url: string; lineNumber: number; columnNumber: number };
    hitCount?: number;
    children?: number[];
  }>;
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export class CpuProfileBusyError extends Error {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(`A CPU profile is already being captured; try again in ${retryAfterSeconds} s.`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

let busyUntil = 0;

/**
 * Profiles this process for `ms` milliseconds with V8's sampling profiler, through an in-process
 * inspector session (no debugger port is opened). One capture at a time: a second one while the
 * first runs fails with CpuProfileBusyError. The profiler's cost falls only on the captured window.
 */
export async function captureCpuProfile(ms: number): Promise<CpuProfile> {
  const now = Date.now();
  if (busyUntil > now) throw new CpuProfileBusyError(Math.max(1, Math.ceil((busyUntil - now) / 1000)));
  busyUntil = now + ms;
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    await session.post('Profiler.start');
    await new Promise((resolve) => setTimeout(resolve, ms));
    const { profile } = await session.post('Profiler.stop');
    return profile as CpuProfile;
  } finally {
    busyUntil = 0;
    await session.post('Profiler.disable').catch(() => undefined);
    session.disconnect();
  }
}
