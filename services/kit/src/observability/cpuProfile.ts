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

/** While a capture runs: when it is due to end (its Retry-After). Undefined when none runs. */
let busyUntil: number | undefined;

/** Whether a capture is running now. */
export function cpuProfileRunning(): boolean {
  return busyUntil !== undefined;
}

/**
 * Profiles this process for `ms` milliseconds with V8's sampling profiler, through an in-process
 * inspector session (no debugger port is opened). One capture at a time: a second one while the
 * first runs fails with CpuProfileBusyError. The profiler's cost falls only on the captured window.
 */
export async function captureCpuProfile(ms: number): Promise<CpuProfile> {
  const now = Date.now();
  // Busy until the capture ends, not until its planned end: a capture that started late (a busy
  // event loop) still runs past that.
  if (busyUntil !== undefined) throw new CpuProfileBusyError(Math.max(1, Math.ceil((busyUntil - now) / 1000)));
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
    busyUntil = undefined;
    await session.post('Profiler.disable').catch(() => undefined);
    session.disconnect();
  }
}
