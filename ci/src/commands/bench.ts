import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '@harness/runtime';
import type { Command } from '../cli.ts';
import { findRegressions, type BenchFigures, type Regression } from '../load/baseline.ts';
import { runBench, writeBenchReport, type BenchReport } from '../load/benchRun.ts';
import { durationSeconds } from '../load/duration.ts';
import { readyRun, systemIsRunning } from '../load/target.ts';
import { CliError, dim, green, parseOptions, red, yellow } from '../output.ts';
import { down } from './down.ts';
import { up } from './up.ts';

const usage = [
  'harness bench [--rate 500] [--duration 20s] [--vus 32] [--ceiling-duration 8s] [--pgbench-seconds 5]',
  '              [--product ID] [--reports-dir DIR] [--baseline FILE] [--save-baseline] [--start]',
  '',
  'On the running system: orders at a fixed rate through the gateway (confirmed orders/s,',
  'p50/p95/p99, errors, RSS of every process of the run), then ceilings at fixed concurrency',
  '(gateway direct, gateway through Toxiproxy, order direct) and pgbench on the same PostgreSQL.',
  'Writes reports/bench/bench-<time>.json; compares with load/baseline.json and exits 1 on a',
  'regression over 10%; --save-baseline stores this run as the new baseline instead.',
].join('\n');

export const DEFAULT_BASELINE = path.join(REPO_ROOT, 'load', 'baseline.json');

/** The issue's targets for this 2-core machine. */
export const TARGETS = { confirmedPerSecond: 500, p95Ms: 100, errors: 0, rssAtRestMb: 1024, proxyOverhead: 0.1 };

interface BaselineFile {
  savedAt: string;
  machine: BenchReport['machine'];
  options: BenchReport['options'];
  figures: BenchFigures;
}

const fixed = (n: number, digits = 1): string => n.toFixed(digits);
const mark = (ok: boolean): string => (ok ? green('met ') : red('MISS'));

function describe(report: BenchReport): string[] {
  const f = report.figures;
  const m = report.main;
  const { gateway, proxied, order } = report.ceilings;
  const overhead = 1 - f.ratios.proxiedVsDirect;
  return [
    `confirmed    ${fixed(f.confirmedPerSecond)} orders/s (${m.confirmed} of ${m.requests} in ${fixed(m.seconds)} s at ${m.load})`,
    `latency      p50 ${fixed(f.p50Ms)} ms  p95 ${fixed(f.p95Ms)} ms  p99 ${fixed(f.p99Ms)} ms`,
    `errors       ${f.errors}${
      Object.keys(m.outcomes).length
        ? dim(
            ` (${Object.entries(m.outcomes)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')})`,
          )
        : ''
    }`,
    `memory       ${f.rssAtRestMb} MiB RSS at rest, ${f.rssPeakMb} MiB at peak ${dim(`(sum of VmRSS over ${report.memory.atRest.processCount} processes; PSS at rest ${Math.round(report.memory.atRest.pssKb / 1024)} MiB)`)}`,
    `ceilings     gateway ${fixed(gateway.confirmedPerSecond)}/s (p95 ${fixed(gateway.latencyMs.p95)} ms), through Toxiproxy ${fixed(proxied.confirmedPerSecond)}/s, order direct ${fixed(order.confirmedPerSecond)}/s ${dim(`(${report.options.vus} concurrent)`)}`,
    `ratios       Toxiproxy/direct ${fixed(f.ratios.proxiedVsDirect, 3)} (overhead ${fixed(overhead * 100)}%), gateway/order ${fixed(f.ratios.gatewayVsOrder, 3)}, orders/s ÷ pgbench tps ${fixed(f.ratios.ordersVsPostgres, 3)} (pgbench ${fixed(f.postgresTps, 0)} tps)`,
    `targets      ${mark(f.confirmedPerSecond >= TARGETS.confirmedPerSecond)} ≥${TARGETS.confirmedPerSecond} confirmed/s  ${mark(f.p95Ms <= TARGETS.p95Ms)} p95 ≤${TARGETS.p95Ms} ms  ${mark(f.errors === TARGETS.errors)} no errors  ${mark(f.rssAtRestMb <= TARGETS.rssAtRestMb)} ≤1 GiB at rest  ${mark(overhead < TARGETS.proxyOverhead)} Toxiproxy overhead <10%`,
  ];
}

function describeRegressions(regressions: Regression[], baselineFile: string): string {
  if (regressions.length === 0)
    return green(`baseline     no regression over 10% against ${path.relative(REPO_ROOT, baselineFile)}`);
  const lines = regressions.map(
    (r) =>
      `  ${r.figure}: ${fixed(r.baseline, 2)} → ${fixed(r.current, 2)} (${Number.isFinite(r.worseBy) ? `${fixed(r.worseBy * 100)}% worse` : 'new'})`,
  );
  return red(
    `baseline     REGRESSIONS over 10% against ${path.relative(REPO_ROOT, baselineFile)}:\n${lines.join('\n')}`,
  );
}

function positive(raw: string, flag: string): number {
  const value = Number(raw);
  if (!(Number.isFinite(value) && value > 0)) throw new CliError(`${flag} must be a positive number, got "${raw}"`, 2);
  return value;
}

function duration(raw: string, flag: string): string {
  try {
    durationSeconds(raw);
  } catch (error) {
    throw new CliError(`${flag}: ${(error as Error).message}`, 2);
  }
  return raw;
}

export const bench: Command = {
  summary: 'benchmark the running system: orders/s, latency, memory, ratios; compare with the baseline',
  usage,
  async run(args) {
    const { values } = parseOptions(
      args,
      {
        rate: { type: 'string', default: '500' },
        duration: { type: 'string', default: '20s' },
        vus: { type: 'string', default: '32' },
        'ceiling-duration': { type: 'string', default: '8s' },
        'pgbench-seconds': { type: 'string', default: '5' },
        product: { type: 'string' },
        'reports-dir': { type: 'string' },
        baseline: { type: 'string' },
        'save-baseline': { type: 'boolean' },
        start: { type: 'boolean' },
      },
      usage,
    );
    const options = {
      rate: positive(values.rate, '--rate'),
      duration: duration(values.duration, '--duration'),
      vus: positive(values.vus, '--vus'),
      ceilingDuration: duration(values['ceiling-duration'], '--ceiling-duration'),
      pgbenchSeconds: positive(values['pgbench-seconds'], '--pgbench-seconds'),
      ...(values.product === undefined ? {} : { productId: values.product }),
    };
    const reportsDir = path.resolve(values['reports-dir'] ?? path.join(REPO_ROOT, 'reports', 'bench'));
    const baselineFile = path.resolve(values.baseline ?? DEFAULT_BASELINE);
    let startedHere = false;
    if (values.start && !systemIsRunning()) {
      console.log('no running system; starting one (`harness up`)');
      if ((await up.run([])) !== 0) throw new CliError('could not start the system');
      startedHere = true;
    }
    try {
      const state = readyRun();
      const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-bench-'));
      console.log(`harness bench → ${state.infra?.services.gateway.url} ${dim(`(k6 logs in ${workDir})`)}`);
      const report = await runBench(state, { ...options, workDir, log: (line) => console.log(dim(`  … ${line}`)) });
      const file = writeBenchReport(report, reportsDir);
      for (const line of describe(report)) console.log(`  ${line}`);
      console.log(`  results      ${path.relative(process.cwd(), file) || file}`);
      if (values['save-baseline']) {
        const saved: BaselineFile = {
          savedAt: report.at,
          machine: report.machine,
          options: report.options,
          figures: report.figures,
        };
        fs.writeFileSync(baselineFile, `${JSON.stringify(saved, null, 2)}\n`);
        console.log(green(`  baseline     saved to ${path.relative(process.cwd(), baselineFile) || baselineFile}`));
        return 0;
      }
      if (!fs.existsSync(baselineFile)) {
        console.log(yellow(`  baseline     none at ${baselineFile}; store one with --save-baseline`));
        return 0;
      }
      const baseline = JSON.parse(fs.readFileSync(baselineFile, 'utf8')) as BaselineFile;
      const differs = (['rate', 'duration', 'vus', 'ceilingDuration', 'pgbenchSeconds'] as const).filter(
        (key) => String(baseline.options[key]) !== String(report.options[key]),
      );
      if (differs.length > 0)
        console.log(yellow(`  baseline     measured with other ${differs.join(', ')}: not like for like`));
      const regressions = findRegressions(report.figures, baseline.figures);
      console.log(`  ${describeRegressions(regressions, baselineFile)}`);
      return regressions.length === 0 ? 0 : 1;
    } finally {
      if (startedHere) await down.run([]);
    }
  },
};
