import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readRunState, REPO_ROOT, type ResolvedConfig, type RunState } from '@harness/runtime';
import { CliError, dim, green, yellow } from '../output.ts';
import { K6_EXIT, k6Binary, runK6 } from './k6Process.ts';
import { startCpuSampling, type CpuBreakdown } from './processCpu.ts';
import { runMemory, type RunMemory } from './processMemory.ts';
import { assertLoopback } from './target.ts';

export interface ConfigBenchOptions {
  /** The load profile whose script, thresholds and target the bench drives. */
  profile: string;
  /** Concurrency steps (k6 VUs), each run for `stepDuration`. */
  steps: number[];
  stepDuration: string;
  /** How long the system rests after the last step before its memory is read again. */
  restSeconds: number;
  reportsDir?: string;
}

/** What one step of the bench measured: k6's view and the CPU of every process of the run. */
export interface BenchStep {
  vus: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  iterationsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  failedRate: number;
  /** Every threshold of the profile held (and k6 ran to the end). */
  held: boolean;
  crossed: string[];
  cpu: {
    /** CPU ms per HTTP request of the system (load generator excluded), and per component. */
    systemMsPerRequest: number;
    components: Array<{ name: string; msPerRequest: number; percentOfCore: number }>;
    loadGeneratorMsPerRequest: number;
    machineUtilisation: number;
    /** Requests/s the cores could carry at the system's CPU per request. */
    ceilingPerSecond: number;
  };
}

export interface ConfigBenchReport {
  system: string;
  profile: string;
  target: string;
  at: string;
  machine: { cores: number; memoryGiB: number };
  options: { steps: number[]; stepDuration: string; restSeconds: number };
  steps: BenchStep[];
  /** The busiest step whose thresholds all held: the capacity at the profile's SLO. */
  capacity: { vus: number; requestsPerSecond: number; p95Ms: number } | undefined;
  memory: {
    atRestMiB: Record<string, number>;
    afterLoadMiB: Record<string, number>;
    atRest: number;
    afterLoad: number;
  };
}

const mib = (kb: number): number => Math.round((kb / 1024) * 10) / 10;

/**
 * `harness bench` for a config system: the profile's k6 script at rising concurrency (its VUs
 * replaced by each step, its duration by the step's), judged by the profile's thresholds; for each
 * step the requests/s, latency, failures and the CPU per request of every process the run owns
 * (services in any language, PostgreSQL, the broker, Toxiproxy) from /proc; memory of the run at
 * rest before the load and after it. The capacity is the busiest step that held every threshold.
 */
export async function runConfigBench(config: ResolvedConfig, options: ConfigBenchOptions): Promise<number> {
  const profile = config.load.profiles[options.profile];
  if (!profile) {
    const known = Object.keys(config.load.profiles);
    throw new CliError(
      `unknown profile "${options.profile}"; the config's load.profiles: ${known.join(', ') || 'none (add some to the config)'}`,
      2,
    );
  }
  const state = runningConfigSystem(config);
  const target = benchTarget(config, state);
  const reportDir = path.resolve(
    options.reportsDir ?? path.join(REPO_ROOT, 'reports', 'systems', config.name, 'bench'),
  );
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-bench-'));
  fs.mkdirSync(reportDir, { recursive: true });
  const optionsFile = path.join(workDir, 'k6-options.json');
  fs.writeFileSync(optionsFile, JSON.stringify({ thresholds: profile.thresholds ?? {} }));
  console.log(
    `harness bench ${options.profile} (${config.name}) → ${target} ${dim(`(${options.steps.length} steps × ${options.stepDuration}; k6 logs in ${workDir})`)}`,
  );
  const atRest = runMemory(state.processes);
  const steps: BenchStep[] = [];
  for (const vus of options.steps) {
    const summaryFile = path.join(workDir, `summary-${vus}.json`);
    const cpu = startCpuSampling(state.processes);
    const result = await runK6(k6Binary(), {
      script: profile.script,
      env: {
        BASE_URL: target,
        K6_CONFIG: optionsFile,
        K6_SUMMARY_EXPORT: summaryFile,
        K6_SUMMARY_TREND_STATS: 'avg,med,p(95),p(99),max',
        K6_VUS: String(vus),
        K6_DURATION: options.stepDuration,
        K6_NO_USAGE_REPORT: 'true',
      },
      logFile: path.join(workDir, `k6-${vus}.log`),
      timeoutMs: 10 * 60_000,
      echo: false,
    });
    const exported = readSummaryExport(summaryFile);
    const ranToEnd = result.exitCode === K6_EXIT.ok || result.exitCode === K6_EXIT.thresholdsFailed;
    if (!exported || !ranToEnd)
      throw new CliError(
        `bench step ${vus} VUs: k6 exited ${result.exitCode}${result.timedOut ? ' (timed out)' : ''}; see ${path.join(workDir, `k6-${vus}.log`)}`,
      );
    const step = benchStep(vus, exported, cpu.stop(Math.max(1, exported.requests)));
    steps.push(step);
    console.log(`  ${describeStep(step)}`);
  }
  await new Promise((resolve) => setTimeout(resolve, options.restSeconds * 1000));
  const afterLoad = runMemory(state.processes);
  const report: ConfigBenchReport = {
    system: config.name,
    profile: options.profile,
    target,
    at: new Date().toISOString(),
    machine: { cores: os.availableParallelism(), memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
    options: { steps: options.steps, stepDuration: options.stepDuration, restSeconds: options.restSeconds },
    steps,
    capacity: capacityOf(steps),
    memory: memoryFigures(atRest, afterLoad),
  };
  const file = path.join(reportDir, `bench-${report.at.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  for (const line of describeConfigBench(report)) console.log(`  ${line}`);
  console.log(`  results      ${path.relative(process.cwd(), file) || file}`);
  return 0;
}

function runningConfigSystem(config: ResolvedConfig): RunState {
  const state = readRunState();
  if (!state || state.status !== 'ready' || state.config !== config.file)
    throw new CliError(
      `${config.name} is not running; start it with \`harness --config ${path.relative(process.cwd(), config.file)} up\` or pass --start`,
    );
  return state;
}

/** The profile's target: `load.target` as a URL or a service of the run; the bench stays on loopback. */
function benchTarget(config: ResolvedConfig, state: RunState): string {
  const given = config.load.target;
  if (given === undefined) throw new CliError('no target: set load.target in the config', 2);
  if (/^https?:\/\//.test(given)) return assertLoopback(given, 'load.target');
  const url = state.infra?.services[given]?.url;
  if (!url) throw new CliError(`load.target: the running system has no service "${given}"`, 2);
  return assertLoopback(url, `service ${given}`);
}

/** k6's --summary-export: per metric its aggregates, and per threshold whether it was crossed. */
export interface SummaryExport {
  requests: number;
  requestsPerSecond: number;
  iterationsPerSecond: number;
  durationMs: Record<string, number>;
  failedRate: number;
  crossed: string[];
}

function readSummaryExport(file: string): SummaryExport | undefined {
  let raw: { metrics?: Record<string, Record<string, unknown>> };
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof raw;
  } catch {
    return undefined;
  }
  return parseSummaryExport(raw);
}

export function parseSummaryExport(raw: { metrics?: Record<string, Record<string, unknown>> }): SummaryExport {
  const metrics = raw.metrics ?? {};
  const num = (metric: string, stat: string): number => {
    const value = metrics[metric]?.[stat];
    return typeof value === 'number' && Number.isFinite(value) ? value : 0;
  };
  const durations: Record<string, number> = {};
  for (const [stat, value] of Object.entries(metrics.http_req_duration ?? {}))
    if (typeof value === 'number') durations[stat] = value;
  const crossed: string[] = [];
  for (const [metric, data] of Object.entries(metrics)) {
    const thresholds = data.thresholds;
    if (typeof thresholds !== 'object' || thresholds === null) continue;
    for (const [expression, failed] of Object.entries(thresholds as Record<string, unknown>))
      if (failed === true) crossed.push(`${metric} ${expression}`);
  }
  return {
    requests: num('http_reqs', 'count'),
    requestsPerSecond: num('http_reqs', 'rate'),
    iterationsPerSecond: num('iterations', 'rate'),
    durationMs: durations,
    failedRate: num('http_req_failed', 'value'),
    crossed: crossed.sort(),
  };
}

/** Pure: one step's figures from k6's export and the CPU breakdown (per request). */
export function benchStep(vus: number, exported: SummaryExport, cpu: CpuBreakdown): BenchStep {
  const perRequest = (seconds: number): number => (exported.requests > 0 ? (seconds * 1000) / exported.requests : 0);
  const systemMs = perRequest(cpu.system.seconds);
  return {
    vus,
    seconds: cpu.wallSeconds,
    requests: exported.requests,
    requestsPerSecond: exported.requestsPerSecond,
    iterationsPerSecond: exported.iterationsPerSecond,
    p50Ms: exported.durationMs.med ?? 0,
    p95Ms: exported.durationMs['p(95)'] ?? 0,
    p99Ms: exported.durationMs['p(99)'] ?? 0,
    failedRate: exported.failedRate,
    held: exported.crossed.length === 0,
    crossed: exported.crossed,
    cpu: {
      systemMsPerRequest: systemMs,
      components: cpu.components.map((component) => ({
        name: component.name,
        msPerRequest: perRequest(component.seconds),
        percentOfCore: component.percentOfCore,
      })),
      loadGeneratorMsPerRequest: perRequest(cpu.loadGenerator.seconds),
      machineUtilisation: cpu.machine.utilisation,
      ceilingPerSecond: systemMs > 0 ? (cpu.cores * 1000) / systemMs : 0,
    },
  };
}

/** The busiest step (by requests/s) whose thresholds all held. */
export function capacityOf(steps: readonly BenchStep[]): ConfigBenchReport['capacity'] {
  const held = steps.filter((step) => step.held);
  if (held.length === 0) return undefined;
  const best = held.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));
  return { vus: best.vus, requestsPerSecond: best.requestsPerSecond, p95Ms: best.p95Ms };
}

function memoryFigures(atRest: RunMemory, afterLoad: RunMemory): ConfigBenchReport['memory'] {
  const byName = (memory: RunMemory): Record<string, number> =>
    Object.fromEntries(Object.entries(memory.byName).map(([name, entry]) => [name, mib(entry.rssKb)]));
  return {
    atRestMiB: byName(atRest),
    afterLoadMiB: byName(afterLoad),
    atRest: mib(atRest.rssKb),
    afterLoad: mib(afterLoad.rssKb),
  };
}

const f1 = (n: number): string => n.toFixed(1);

function describeStep(step: BenchStep): string {
  const verdict = step.held ? green('held') : yellow(`crossed ${step.crossed.join(', ')}`);
  return (
    `${String(step.vus).padStart(3)} VUs  ${f1(step.requestsPerSecond).padStart(7)} req/s  p50 ${f1(step.p50Ms)} ms  ` +
    `p95 ${f1(step.p95Ms)} ms  p99 ${f1(step.p99Ms)} ms  failed ${(step.failedRate * 100).toFixed(2)}%  ` +
    `CPU ${f1(step.cpu.systemMsPerRequest)} ms/req (ceiling ${f1(step.cpu.ceilingPerSecond)} req/s)  ${verdict}`
  );
}

/** The summary lines: capacity, CPU per request per component at the busiest step, memory. */
export function describeConfigBench(report: ConfigBenchReport): string[] {
  const lines: string[] = [];
  const capacity = report.capacity;
  lines.push(
    capacity
      ? `capacity     ${f1(capacity.requestsPerSecond)} req/s at ${capacity.vus} VUs with every threshold of ${report.profile} held (p95 ${f1(capacity.p95Ms)} ms)`
      : `capacity     no step held every threshold of ${report.profile}`,
  );
  const busiest = report.steps.reduce<BenchStep | undefined>(
    (a, b) => (a === undefined || b.requestsPerSecond > a.requestsPerSecond ? b : a),
    undefined,
  );
  if (busiest) {
    lines.push(
      `CPU/request at ${busiest.vus} VUs: system ${f1(busiest.cpu.systemMsPerRequest)} ms ` +
        `(${busiest.cpu.components.map((c) => `${c.name} ${f1(c.msPerRequest)}`).join(', ')}); ` +
        `load generator ${f1(busiest.cpu.loadGeneratorMsPerRequest)} ms; machine ${(busiest.cpu.machineUtilisation * 100).toFixed(0)}% busy`,
    );
  }
  lines.push(`memory       ${report.memory.atRest} MiB RSS at rest, ${report.memory.afterLoad} MiB after the load`);
  return lines;
}
