import { describe, expect, it } from 'vitest';
import type { PhaseFigures } from '../src/load/benchPhase.ts';
import { plannedBenchSeconds, withDirectSystem, type BenchReport } from '../src/load/benchRun.ts';

const ceiling = (confirmedPerSecond: number): PhaseFigures => ({
  name: 'ceiling',
  target: 'http://127.0.0.1:1/api/v1/orders',
  load: '32 concurrent',
  seconds: 8,
  requests: confirmedPerSecond * 8,
  confirmed: confirmedPerSecond * 8,
  confirmedPerSecond,
  latencyMs: { p50: 100, p95: 200, p99: 300 },
  errors: 0,
  outcomes: { confirmed: confirmedPerSecond * 8 },
});

/** Only what the A/B reads and writes; the rest of a report does not take part. */
const attachedReport = {
  ceilings: { gateway: ceiling(80), proxied: ceiling(76), order: ceiling(90) },
  proxyOverhead: { l1Ratio: 0.95 },
  figures: { ratios: { l1ProxiedVsDirect: 0.95, gatewayVsOrder: 0.89, ordersVsPostgres: 0.1 } },
} as unknown as BenchReport;

describe('bench: whole-system Toxiproxy A/B', () => {
  it('divides the proxied system ceiling by the direct system ceiling, keeping the L1-hop ratio apart', () => {
    const report = withDirectSystem(attachedReport, ceiling(100));
    expect(report.proxyOverhead.wholeSystemRatio).toBeCloseTo(0.8);
    expect(report.figures.ratios.proxiedVsDirect).toBeCloseTo(0.8);
    expect(report.figures.directSystemCeiling).toBe(100);
    expect(report.figures.ratios.l1ProxiedVsDirect).toBe(0.95);
    expect(report.proxyOverhead.l1Ratio).toBe(0.95);
  });

  it('gives ratio 0, not infinity, when the direct system confirmed nothing', () => {
    expect(withDirectSystem(attachedReport, ceiling(0)).figures.ratios.proxiedVsDirect).toBe(0);
  });

  it('bounds the whole bench: ceilings, every step, main and pgbench, one more ceiling for the A/B', () => {
    const options = {
      duration: '20s',
      ceilingDuration: '8s',
      warmup: '5s',
      steps: [25, 50],
      stepDuration: '8s',
      pgbenchSeconds: 5,
      cpuProfileDuration: '0s',
    };
    // (5 + 7) warm-up + 3 × (8 + 7) + 2 × (8 + 7 + 1) + (20 + 7) + (5 + 8 + 3 + 15 at rest again)
    expect(plannedBenchSeconds(options, false)).toBe(12 + 45 + 32 + 27 + 31);
    // The direct system: one more warm-up and ceiling.
    expect(plannedBenchSeconds(options, true)).toBe(2 * 12 + 60 + 32 + 27 + 31);
    expect(plannedBenchSeconds({ ...options, warmup: '0s' }, false)).toBe(45 + 32 + 27 + 31);
    // The profiled phase: its own k6 run after a settling pause.
    expect(plannedBenchSeconds({ ...options, cpuProfileDuration: '10s' }, false)).toBe(12 + 45 + 32 + 27 + 20 + 31);
  });
});
