import { dim, green, red } from '../output.ts';
import type { BenchFigures } from './baseline.ts';
import type { BenchReport } from './benchRun.ts';
import { STEP_SLO } from './capacity.ts';
import type { CpuBreakdown } from './processCpu.ts';
import { describeCpuProfiles } from './cpuProfiles.ts';
import { describeRoundTrips } from './roundTrips.ts';

/**
 * The performance targets (README, Performance), as ratios within one run where they can be, so a
 * noisy machine moves them less: CPU per confirmed order at saturation, the capacity at SLO as a
 * share of the CPU ceiling, confirmed orders per pgbench transaction, the whole-system Toxiproxy
 * A/B, and the system's memory at rest before and after the load.
 */
export const TARGETS = {
  cpuMsPerOrder: 4.0,
  capacityVsCeiling: 0.8,
  ordersVsPostgres: 0.12,
  proxiedVsDirect: 0.9,
  rssAtRestMb: 512,
  rssAfterLoadMb: 640,
};

const fixed = (n: number, digits = 1): string => n.toFixed(digits);
const mark = (ok: boolean): string => (ok ? green('met ') : red('MISS'));

/** The CPU table: one row per component, then the system, the load generator and the machine. */
function describeCpu(cpu: CpuBreakdown): string[] {
  const row = (name: string, seconds: number, percent: number, ms: number): string =>
    `  ${name.padEnd(14)} ${fixed(seconds, 2).padStart(7)} ${fixed(percent).padStart(7)} ${fixed(ms, 2).padStart(8)}`;
  return [
    dim(`  ${'component'.padEnd(14)} ${'cpu s'.padStart(7)} ${'% core'.padStart(7)} ${'ms/order'.padStart(8)}`),
    ...cpu.components.map((c) => row(c.name, c.seconds, c.percentOfCore, c.msPerOrder)),
    row('= system', cpu.system.seconds, cpu.system.percentOfCore, cpu.system.msPerOrder),
    row('k6 + harness', cpu.loadGenerator.seconds, cpu.loadGenerator.percentOfCore, cpu.loadGenerator.msPerOrder),
    row('machine', cpu.machine.seconds, cpu.machine.percentOfCore, cpu.machine.msPerOrder) +
      dim(
        `  (${fixed(cpu.machine.utilisation * 100, 0)}% of ${cpu.cores} cores busy; ${fixed(cpu.otherSeconds, 2)} s kernel/other tenants)`,
      ),
    `  CPU ceiling    ${fixed(cpu.ceilingPerSecond)} orders/s ${dim(`= ${cpu.cores} cores × 1000 ÷ ${fixed(cpu.system.msPerOrder, 2)} ms per order (k6 excluded), over ${cpu.confirmed} confirmed in ${fixed(cpu.wallSeconds)} s`)}`,
  ];
}

function describeCapacity(report: BenchReport): string[] {
  const slo = `p95 ≤ ${STEP_SLO.p95Ms} ms, no errors, ≥ ${STEP_SLO.minConfirmedShare * 100}% confirmed`;
  const atSlo = report.capacity.atSlo;
  const head = atSlo
    ? `capacity     ${fixed(atSlo.confirmedPerSecond)} confirmed/s at SLO (step ${atSlo.rate}/s, p95 ${fixed(atSlo.p95Ms)} ms) ${dim(`(${slo})`)}`
    : `capacity     ${red('none')}: the first step already missed the SLO ${dim(`(${slo})`)}`;
  const steps = report.capacity.steps.map(
    (step) =>
      `  ${`${step.rate}/s`.padEnd(7)} ${fixed(step.confirmedPerSecond).padStart(6)} confirmed/s  p95 ${fixed(step.p95Ms, 0).padStart(5)} ms  errors ${step.errors}` +
      dim(`  cpu ${fixed(step.cpuMsPerOrder, 1)} ms/order → ceiling ${fixed(step.cpuCeiling, 0)}/s`) +
      (step.passed ? `  ${green('pass')}` : `  ${red(`FAIL: ${step.failures.join('; ')}`)}`),
  );
  return [head, ...steps];
}

function describeOverhead(report: BenchReport): { lines: string[]; overhead: number | undefined } {
  const o = report.proxyOverhead;
  const l1 = `L1 hop only: through its proxy ${fixed(report.ceilings.proxied.confirmedPerSecond)}/s vs gateway direct ${fixed(report.ceilings.gateway.confirmedPerSecond)}/s = ${fixed(o.l1Ratio, 3)}`;
  if (o.directSystem && o.wholeSystemRatio !== undefined) {
    const overhead = 1 - o.wholeSystemRatio;
    return {
      overhead,
      lines: [
        `toxiproxy    whole system A/B: proxied ${fixed(report.ceilings.gateway.confirmedPerSecond)}/s vs direct ${fixed(o.directSystem.confirmedPerSecond)}/s (p95 ${fixed(o.directSystem.latencyMs.p95)} ms) = ${fixed(o.wholeSystemRatio, 3)}, overhead ${fixed(overhead * 100)}% ${dim(`(${report.options.vus} concurrent)`)}`,
        `             ${dim(l1)}`,
      ],
    };
  }
  return {
    overhead: undefined,
    lines: [
      `toxiproxy    ${l1} (overhead of that hop ${fixed((1 - o.l1Ratio) * 100)}%)`,
      `             ${dim('whole-system A/B (every link direct vs proxied) not measured: it needs `harness bench --start` with no system running')}`,
    ],
  };
}

/** The printed summary of one bench run. */
export function describeBench(report: BenchReport): string[] {
  const f = report.figures;
  const m = report.main;
  const { gateway, proxied, order } = report.ceilings;
  const outcomes = Object.entries(m.outcomes)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const { lines: overheadLines } = describeOverhead(report);
  return [
    `confirmed    ${fixed(f.confirmedPerSecond)} orders/s (${m.confirmed} of ${m.requests} in ${fixed(m.seconds)} s at ${m.load})`,
    `latency      p50 ${fixed(f.p50Ms)} ms  p95 ${fixed(f.p95Ms)} ms  p99 ${fixed(f.p99Ms)} ms`,
    `errors       ${f.errors}${outcomes ? dim(` (${outcomes})`) : ''}`,
    `cpu          per confirmed order during the main phase:`,
    ...describeCpu(report.cpu),
    ...(report.roundTrips
      ? [`round trips  per confirmed order during the main phase:`, ...describeRoundTrips(report.roundTrips)]
      : []),
    ...(report.cpuProfiles
      ? [
          `profiles     CPU per confirmed order at ${report.cpuProfiles.rate}/s for ${report.cpuProfiles.seconds} s and V8's sampling profile: busy time, top packages:`,
          ...describeCpuProfiles(report.cpuProfiles),
        ]
      : []),
    ...describeCapacity(report),
    `memory       system ${systemAtRest(f)} MiB RSS at rest, ${f.systemRssAfterLoadMb ?? '?'} MiB at rest again 15 s after the load; all processes ${f.rssAtRestMb} MiB at rest, ${f.rssPeakMb} MiB at peak ${dim(`(sum of VmRSS over ${report.memory.atRest.processCount} processes, the system without the storefront's dev server; PSS at rest ${Math.round(report.memory.atRest.pssKb / 1024)} MiB)`)}`,
    `ceilings     gateway ${fixed(gateway.confirmedPerSecond)}/s (p95 ${fixed(gateway.latencyMs.p95)} ms), through Toxiproxy ${fixed(proxied.confirmedPerSecond)}/s, order direct ${fixed(order.confirmedPerSecond)}/s ${dim(`(${report.options.vus} concurrent)`)}`,
    ...overheadLines,
    `ratios       gateway/order ${fixed(f.ratios.gatewayVsOrder, 3)}, orders/s ÷ pgbench tps ${fixed(f.ratios.ordersVsPostgres, 3)} (pgbench ${fixed(f.postgresTps, 0)} tps)`,
    targetsLine(report),
  ];
}

/** One mark per target: met, missed, or n/a when the run could not measure it. */
export function targetsLine(report: BenchReport): string {
  const f = report.figures;
  const ratio = (a: number, b: number): number | undefined => (b > 0 ? a / b : undefined);
  const judge = (value: number | undefined, ok: (v: number) => boolean, text: string): string =>
    `${value === undefined ? dim('n/a ') : mark(ok(value))} ${text}${value === undefined ? '' : ` (${fixed(value, value < 10 ? 2 : 0)})`}`;
  return `targets      ${[
    judge(f.cpuMsPerOrder, (v) => v <= TARGETS.cpuMsPerOrder, `cpu ≤${TARGETS.cpuMsPerOrder} ms/order`),
    judge(
      ratio(f.capacityAtSlo, f.cpuCeiling),
      (v) => v >= TARGETS.capacityVsCeiling,
      `capacity/ceiling ≥${TARGETS.capacityVsCeiling}`,
    ),
    judge(
      f.ratios.ordersVsPostgres,
      (v) => v >= TARGETS.ordersVsPostgres,
      `orders/pgbench ≥${TARGETS.ordersVsPostgres}`,
    ),
    judge(f.ratios.proxiedVsDirect, (v) => v >= TARGETS.proxiedVsDirect, `Toxiproxy A/B ≥${TARGETS.proxiedVsDirect}`),
    judge(systemAtRest(f), (v) => v <= TARGETS.rssAtRestMb, `≤${TARGETS.rssAtRestMb} MiB at rest`),
    judge(f.systemRssAfterLoadMb, (v) => v <= TARGETS.rssAfterLoadMb, `≤${TARGETS.rssAfterLoadMb} MiB after the load`),
  ].join('  ')}`;
}

/** The memory target's figure (older reports lack it: then every process counts). */
function systemAtRest(f: BenchFigures): number {
  return f.systemRssAtRestMb ?? f.rssAtRestMb;
}
