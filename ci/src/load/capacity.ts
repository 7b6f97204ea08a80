import type { PhaseFigures } from './benchPhase.ts';

/** Offered rates of the capacity phase, orders/s, lowest first. */
export const DEFAULT_STEPS = [25, 50, 75, 100, 125, 150, 200, 300, 400, 500];

/** What a step must do to pass: the issue's latency target, no errors, and (nearly) all of it confirmed. */
export const STEP_SLO = { p95Ms: 100, errors: 0, minConfirmedShare: 0.95 } as const;

/** One fixed-rate step, judged against the SLO. */
export interface StepFigures {
  rate: number;
  /** The step's planned duration (the time over which `offered` orders arrive). */
  seconds: number;
  offered: number;
  confirmed: number;
  confirmedPerSecond: number;
  p95Ms: number;
  errors: number;
  /** System CPU ms per confirmed order during the step, and the ceiling that implies (0 when not measured). */
  cpuMsPerOrder: number;
  cpuCeiling: number;
  passed: boolean;
  /** Why it failed, in words; empty when it passed. */
  failures: string[];
}

/** The highest step that passed, with every step before it passing too. */
export interface CapacityAtSlo {
  rate: number;
  confirmedPerSecond: number;
  p95Ms: number;
}

export function judgeStep(
  rate: number,
  seconds: number,
  phase: Pick<PhaseFigures, 'confirmed' | 'errors' | 'latencyMs'>,
  cpu: { msPerOrder: number; ceilingPerSecond: number } = { msPerOrder: 0, ceilingPerSecond: 0 },
): StepFigures {
  const offered = Math.round(rate * seconds);
  const failures: string[] = [];
  if (phase.latencyMs.p95 > STEP_SLO.p95Ms)
    failures.push(`p95 ${phase.latencyMs.p95.toFixed(0)} ms > ${STEP_SLO.p95Ms} ms`);
  if (phase.errors > STEP_SLO.errors) failures.push(`${phase.errors} errors`);
  if (phase.confirmed < offered * STEP_SLO.minConfirmedShare)
    failures.push(`confirmed ${phase.confirmed} of ${offered} offered (< ${STEP_SLO.minConfirmedShare * 100}%)`);
  return {
    rate,
    seconds,
    offered,
    confirmed: phase.confirmed,
    confirmedPerSecond: phase.confirmed / Math.max(seconds, 0.001),
    p95Ms: phase.latencyMs.p95,
    errors: phase.errors,
    cpuMsPerOrder: cpu.msPerOrder,
    cpuCeiling: cpu.ceilingPerSecond,
    passed: failures.length === 0,
    failures,
  };
}

/** The capacity at SLO: the last passing step before the first failing one (none when the first fails). */
export function capacityAtSlo(steps: StepFigures[]): CapacityAtSlo | undefined {
  let best: StepFigures | undefined;
  for (const step of steps) {
    if (!step.passed) break;
    best = step;
  }
  return best && { rate: best.rate, confirmedPerSecond: best.confirmedPerSecond, p95Ms: best.p95Ms };
}

/** "25,50,100" → [25, 50, 100]: positive, strictly rising, or an error saying what is wrong. */
export function parseSteps(text: string): number[] {
  const steps = text.split(',').map((part) => Number(part.trim()));
  if (steps.length === 0 || steps.some((step) => !(Number.isFinite(step) && step > 0)))
    throw new Error(`steps must be positive rates separated by commas, got "${text}"`);
  if (steps.some((step, i) => i > 0 && step <= (steps[i - 1] ?? 0))) throw new Error(`steps must rise, got "${text}"`);
  return steps;
}

/**
 * Runs the steps in order and stops at the first that fails: past it the system is overloaded,
 * and higher rates would only pile up a backlog the next phase would pay for.
 */
export async function runCapacitySteps(
  steps: number[],
  runStep: (rate: number) => Promise<StepFigures>,
  log: (line: string) => void = () => undefined,
): Promise<{ steps: StepFigures[]; capacity: CapacityAtSlo | undefined }> {
  const done: StepFigures[] = [];
  for (const rate of steps) {
    const step = await runStep(rate);
    done.push(step);
    log(
      `step ${rate}/s: ${step.confirmedPerSecond.toFixed(1)} confirmed/s, p95 ${step.p95Ms.toFixed(0)} ms${step.passed ? '' : ` → stop (${step.failures.join('; ')})`}`,
    );
    if (!step.passed) break;
  }
  return { steps: done, capacity: capacityAtSlo(done) };
}
