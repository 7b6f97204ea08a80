import { check } from 'k6';
import http from 'k6/http';

/**
 * A fault schedule inside a k6 run: Toxiproxy faults switched on and off by k6 itself over the
 * Toxiproxy HTTP API, and the phase of the run each request belongs to (so thresholds can hold
 * the steady state, the fault and the recovery to different SLOs).
 *
 *   steady ── inject ── fault ── lift ── settling (recovery bound) ── recovered
 */
export type Phase = 'steady' | 'fault' | 'settling' | 'recovered';

export interface FaultSchedule {
  /** Seconds from the start of the load. */
  injectAt: number;
  liftAt: number;
  /** The system must be back within this many seconds after the lift. */
  recoveryBound: number;
  end: number;
}

/**
 * The schedule of a base timeline (fault from 20 s to 40 s, 20 s of recovered traffic) shrunk by
 * `scale` for CI; the recovery bound is a property of the system (breaker half-open delay, retry
 * backoff), so it is not scaled.
 */
export function scaledSchedule(scale: number, recoveryBound: number): FaultSchedule {
  const injectAt = 20 * scale;
  const liftAt = 40 * scale;
  return { injectAt, liftAt, recoveryBound, end: liftAt + recoveryBound + Math.max(5, 20 * scale) };
}

export function phaseAt(secondsSinceStart: number, schedule: FaultSchedule): Phase {
  if (secondsSinceStart < schedule.injectAt) return 'steady';
  if (secondsSinceStart < schedule.liftAt) return 'fault';
  if (secondsSinceStart < schedule.liftAt + schedule.recoveryBound) return 'settling';
  return 'recovered';
}

export interface LatencyToxic {
  toxiproxyUrl: string;
  proxy: string;
  name: string;
  latencyMs: number;
}

export function addLatencyToxic(toxic: LatencyToxic): boolean {
  const res = http.post(
    `${toxic.toxiproxyUrl}/proxies/${toxic.proxy}/toxics`,
    JSON.stringify({
      name: toxic.name,
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: toxic.latencyMs, jitter: 0 },
    }),
    { headers: { 'Content-Type': 'application/json' }, tags: { endpoint: 'toxiproxy' } },
  );
  return check(res, { [`fault: latency toxic added on ${toxic.proxy}`]: (r) => r.status === 200 });
}

/** Removes the toxic; `mustExist` false (teardown) accepts that it is already gone. */
export function removeToxic(toxic: LatencyToxic, mustExist = true): boolean {
  const res = http.del(`${toxic.toxiproxyUrl}/proxies/${toxic.proxy}/toxics/${toxic.name}`, null, {
    tags: { endpoint: 'toxiproxy' },
    responseCallback: http.expectedStatuses(204, 404),
  });
  if (!mustExist) return res.status === 204 || res.status === 404;
  return check(res, { [`fault: latency toxic removed from ${toxic.proxy}`]: (r) => r.status === 204 });
}
