import { describe, expect, it } from 'vitest';
import { benchStep, capacityOf, describeConfigBench, parseSummaryExport } from '../src/load/configBench.ts';
import type { CpuBreakdown } from '../src/load/processCpu.ts';

/** k6 --summary-export as written for a 5 s step (the shape k6 1.x writes). */
const exported = (reqs: number, seconds: number, p95: number, failed: boolean) => ({
  metrics: {
    http_reqs: { count: reqs, rate: reqs / seconds },
    iterations: { count: reqs / 2, rate: reqs / 2 / seconds },
    http_req_duration: { avg: p95 / 2, med: p95 / 3, 'p(95)': p95, 'p(99)': p95 * 1.5, max: p95 * 2 },
    http_req_failed: { fails: reqs, passes: 0, thresholds: { 'rate<0.01': false }, value: 0 },
    checkout_ms: { 'p(95)': p95, thresholds: { 'p(95)<500': failed } },
  },
});

const cpu = (seconds: Record<string, number>, wallSeconds = 5): CpuBreakdown => {
  const figure = (name: string, s: number) => ({
    name,
    seconds: s,
    percentOfCore: (s / wallSeconds) * 100,
    msPerOrder: 0,
  });
  const components = Object.entries(seconds).map(([name, s]) => figure(name, s));
  const system = components.reduce((sum, c) => sum + c.seconds, 0);
  return {
    wallSeconds,
    cores: 2,
    confirmed: 0,
    components,
    system: figure('system', system),
    loadGenerator: figure('load generator', 0.5),
    machine: { ...figure('machine', system + 0.5), utilisation: 0.6 },
    otherSeconds: 0,
    ceilingPerSecond: 0,
  };
};

describe('harness bench on a config system', () => {
  it("reads k6's summary export: request rate, latency quantiles, failures and crossed thresholds", () => {
    const summary = parseSummaryExport(exported(500, 5, 120, true));
    expect(summary).toMatchObject({ requests: 500, requestsPerSecond: 100, iterationsPerSecond: 50, failedRate: 0 });
    expect(summary.durationMs['p(95)']).toBe(120);
    expect(summary.crossed).toEqual(['checkout_ms p(95)<500']);
    expect(parseSummaryExport({}).requests).toBe(0);
  });

  it('puts the CPU of every process of the run per request, and the ceiling it allows on the cores', () => {
    const step = benchStep(4, parseSummaryExport(exported(500, 5, 120, false)), cpu({ orders: 1, postgresql: 0.5 }));
    expect(step.held).toBe(true);
    expect(step.cpu.systemMsPerRequest).toBe(3);
    expect(step.cpu.components).toEqual([
      { name: 'orders', msPerRequest: 2, percentOfCore: 20 },
      { name: 'postgresql', msPerRequest: 1, percentOfCore: 10 },
    ]);
    expect(step.cpu.loadGeneratorMsPerRequest).toBe(1);
    expect(step.cpu.ceilingPerSecond).toBeCloseTo(2000 / 3);
    expect([step.p50Ms, step.p95Ms, step.p99Ms]).toEqual([40, 120, 180]);
  });

  it('takes as capacity the busiest step that held every threshold, not a busier one that crossed one', () => {
    const steps = [
      benchStep(1, parseSummaryExport(exported(200, 5, 20, false)), cpu({ orders: 1 })),
      benchStep(4, parseSummaryExport(exported(600, 5, 90, false)), cpu({ orders: 2 })),
      benchStep(8, parseSummaryExport(exported(700, 5, 900, true)), cpu({ orders: 2 })),
    ];
    expect(capacityOf(steps)).toEqual({ vus: 4, requestsPerSecond: 120, p95Ms: 90 });
    expect(capacityOf(steps.slice(2))).toBeUndefined();
    const lines = describeConfigBench({
      system: 'shop',
      profile: 'smoke',
      target: 'http://127.0.0.1:1',
      at: '',
      machine: { cores: 2, memoryGiB: 1 },
      options: { steps: [1, 4, 8], stepDuration: '5s', restSeconds: 1 },
      steps,
      capacity: capacityOf(steps),
      memory: { atRestMiB: {}, afterLoadMiB: {}, atRest: 500, afterLoad: 600 },
    });
    expect(lines[0]).toContain('120.0 req/s at 4 VUs');
    expect(lines[1]).toContain('CPU/request at 8 VUs: system 2.9 ms (orders 2.9)');
  });
});
