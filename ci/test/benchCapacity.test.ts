import { describe, expect, it } from 'vitest';
import { capacityAtSlo, judgeStep, parseSteps, runCapacitySteps, type StepFigures } from '../src/load/capacity.ts';

const phase = (confirmed: number, p95: number, errors = 0) => ({
  confirmed,
  errors,
  latencyMs: { p50: p95 / 2, p95, p99: p95 * 1.5 },
});

describe('capacity at SLO: judging one step', () => {
  it('passes a step with p95 within 100 ms, no errors and at least 95% of the offered orders confirmed', () => {
    const step = judgeStep(50, 8, phase(392, 80));
    expect(step).toMatchObject({ rate: 50, offered: 400, confirmed: 392, confirmedPerSecond: 49, passed: true });
    expect(step.failures).toEqual([]);
  });

  it('fails a step for each broken condition and says which', () => {
    expect(judgeStep(100, 8, phase(800, 130)).failures).toEqual(['p95 130 ms > 100 ms']);
    expect(judgeStep(100, 8, phase(799, 50, 1)).failures).toEqual(['1 errors']);
    // Requests k6 could not send in time (dropped iterations) are not confirmed either.
    expect(judgeStep(100, 8, phase(700, 50)).failures).toEqual(['confirmed 700 of 800 offered (< 95%)']);
  });

  it('keeps the CPU figures measured during the step', () => {
    expect(judgeStep(25, 8, phase(200, 20), { msPerOrder: 16, ceilingPerSecond: 125 })).toMatchObject({
      cpuMsPerOrder: 16,
      cpuCeiling: 125,
    });
  });
});

describe('capacity at SLO: choosing the step', () => {
  const step = (rate: number, passed: boolean): StepFigures => judgeStep(rate, 8, phase(rate * 8, passed ? 50 : 500));

  it('is the highest passing step before the first failure', () => {
    expect(capacityAtSlo([step(25, true), step(50, true), step(100, false)])).toEqual({
      rate: 50,
      confirmedPerSecond: 50,
      p95Ms: 50,
    });
  });

  it('ignores a later step that passed by luck after one failed', () => {
    expect(capacityAtSlo([step(25, true), step(50, false), step(100, true)])?.rate).toBe(25);
  });

  it('is none when the first step fails, and the last step when all pass', () => {
    expect(capacityAtSlo([step(25, false)])).toBeUndefined();
    expect(capacityAtSlo([step(25, true), step(50, true)])?.rate).toBe(50);
  });

  it('runs the steps in order and stops at the first failure', async () => {
    const ran: number[] = [];
    const result = await runCapacitySteps([25, 50, 100, 150], async (rate) => {
      ran.push(rate);
      return step(rate, rate < 100);
    });
    expect(ran).toEqual([25, 50, 100]);
    expect(result.steps.map((s) => s.passed)).toEqual([true, true, false]);
    expect(result.capacity?.rate).toBe(50);
  });

  it('reads --steps as rising positive rates', () => {
    expect(parseSteps('25, 50,100')).toEqual([25, 50, 100]);
    expect(() => parseSteps('25,,50')).toThrow(/positive rates/);
    expect(() => parseSteps('50,25')).toThrow(/must rise/);
    expect(() => parseSteps('-5')).toThrow(/positive rates/);
  });
});
