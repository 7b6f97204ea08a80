import { describe, expect, it } from 'vitest';
import { findRegressions, type BenchFigures } from '../src/load/baseline.ts';
import { parseTps } from '../src/load/pgbench.ts';

const baseline: BenchFigures = {
  confirmedPerSecond: 500,
  p50Ms: 10,
  p95Ms: 40,
  p99Ms: 80,
  errors: 0,
  rssAtRestMb: 600,
  rssPeakMb: 800,
  capacityAtSlo: 150,
  cpuMsPerOrder: 16,
  cpuCeiling: 125,
  gatewayCeiling: 700,
  proxiedCeiling: 660,
  orderCeiling: 900,
  postgresTps: 2000,
  directSystemCeiling: 740,
  ratios: { proxiedVsDirect: 0.94, l1ProxiedVsDirect: 0.97, gatewayVsOrder: 0.78, ordersVsPostgres: 0.35 },
};
const withChanges = (changes: Partial<BenchFigures>): BenchFigures => ({ ...baseline, ...changes });

describe('bench baseline comparison', () => {
  it('flags a throughput drop over 10% and lets one under 10% pass', () => {
    expect(findRegressions(withChanges({ confirmedPerSecond: 440 }), baseline).map((r) => r.figure)).toEqual([
      'confirmedPerSecond',
    ]);
    expect(findRegressions(withChanges({ confirmedPerSecond: 455 }), baseline)).toEqual([]);
  });

  it('flags latency and memory that grew over 10%, in their own direction', () => {
    const regressions = findRegressions(withChanges({ p95Ms: 50, rssAtRestMb: 700, p99Ms: 60 }), baseline);
    expect(regressions.map((r) => r.figure).sort()).toEqual(['p95Ms', 'rssAtRestMb']);
    expect(regressions.find((r) => r.figure === 'p95Ms')?.worseBy).toBeCloseTo(0.25);
  });

  it('flags a ratio that fell, such as more Toxiproxy overhead', () => {
    const current = withChanges({ ratios: { ...baseline.ratios, proxiedVsDirect: 0.8 } });
    expect(findRegressions(current, baseline).map((r) => r.figure)).toEqual(['ratios.proxiedVsDirect']);
  });

  it('flags a capacity at SLO that dropped over 10%, and more CPU per order', () => {
    expect(findRegressions(withChanges({ capacityAtSlo: 100 }), baseline).map((r) => r.figure)).toEqual([
      'capacityAtSlo',
    ]);
    expect(findRegressions(withChanges({ capacityAtSlo: 140 }), baseline)).toEqual([]);
    expect(findRegressions(withChanges({ cpuMsPerOrder: 19 }), baseline).map((r) => r.figure)).toEqual([
      'cpuMsPerOrder',
    ]);
  });

  it('skips the whole-system Toxiproxy ratio when this run was attached and could not measure it', () => {
    const { proxiedVsDirect: _measuredOnlyWithStart, ...attached } = baseline.ratios;
    expect(findRegressions(withChanges({ ratios: attached }), baseline)).toEqual([]);
  });

  it('flags errors where the baseline had none', () => {
    expect(findRegressions(withChanges({ errors: 3 }), baseline)).toEqual([
      { figure: 'errors', baseline: 0, current: 3, worseBy: Infinity },
    ]);
  });

  it('does not judge sub-millisecond latencies relatively (noise)', () => {
    const fast = withChanges({ p95Ms: 0.4 });
    expect(findRegressions(withChanges({ p95Ms: 0.9 }), fast)).toEqual([]);
  });

  it('reads the tps pgbench reports', () => {
    const output = [
      'number of transactions actually processed: 10234',
      'latency average = 3.905 ms',
      'initial connection time = 12.345 ms',
      'tps = 2048.612345 (without initial connection time)',
    ].join('\n');
    expect(parseTps(output)).toBeCloseTo(2048.612345);
    expect(() => parseTps('no figures')).toThrow(/no tps/);
  });
});
