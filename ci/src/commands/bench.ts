import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { BROKER_KINDS, referenceConfigFile, REPO_ROOT, type BrokerKind, type ResolvedConfig } from '@harness/runtime';
import type { Command } from '../command.ts';
import { commandConfig } from '../commandConfig.ts';
import { findRegressions, type BenchFigures, type Regression } from '../load/baseline.ts';
import {
  measureGatewayCeiling,
  plannedBenchSeconds,
  runBench,
  warmUp,
  withDirectSystem,
  writeBenchReport,
  type BenchReport,
} from '../load/benchRun.ts';
import type { PhaseFigures } from '../load/benchPhase.ts';
import { describeBench } from '../load/benchSummary.ts';
import { compareBrokers, describeBrokerComparison } from '../load/brokerComparison.ts';
import { runConfigBench } from '../load/configBench.ts';
import { DEFAULT_STEPS, parseSteps } from '../load/capacity.ts';
import { durationSeconds } from '../load/duration.ts';
import { readyRun, systemIsRunning } from '../load/target.ts';
import { CliError, dim, green, parseOptions, red, yellow } from '../output.ts';
import { stopRun } from './down.ts';
import { startRun } from './up.ts';
import { withSystem } from './withSystem.ts';

const usage = [
  'harness bench [--rate 500] [--duration 20s] [--vus 32] [--ceiling-duration 8s] [--pgbench-seconds 5]',
  '              [--warmup 5s] [--steps 25,50,75,100,125,150,200,300,400,500] [--step-duration 8s]',
  '              [--cpu-profile-duration 10s] [--rest-after-load 15s] [--product ID] [--reports-dir DIR] [--baseline FILE]',
  '              [--save-baseline] [--no-baseline] [--start] [--brokers rabbitmq,kafka] [--trace-sampling 0.1]',
  '',
  'On the running system, after a discarded warm-up: ceilings at fixed concurrency (gateway direct, gateway through its L1',
  'Toxiproxy proxy, order direct); fixed-rate steps through the gateway up to the first that misses',
  'p95 ≤ 100 ms / no errors / ≥ 95% confirmed (the capacity at SLO); orders at --rate through the',
  'gateway (confirmed orders/s, p50/p95/p99, errors, RSS, and CPU per confirmed order of every',
  'component with the ceiling the CPU allows, and the round trips of an order per service: SQL',
  'statements, HTTP calls, events); a V8 CPU profile of every service during a phase of its own at',
  'the capacity rate (--cpu-profile-duration, 0s: none; a flame graph per service and the',
  '.cpuprofile files in reports/bench/profiles/<time>/); pgbench on the same PostgreSQL.',
  'With --start and no system running, it starts one, and after it stops it starts a system with',
  'every link direct (`harness up --direct`) and measures its ceiling: the Toxiproxy overhead of the',
  'whole system. About 3 to 4 minutes with the defaults (plus system starts with --start).',
  'Writes reports/bench/bench-<time>.json; compares with load/baseline.json and exits 1 on a',
  'regression over 10%; --save-baseline stores this run as the new baseline instead; --no-baseline',
  'compares with none.',
  '--rest-after-load DURATION: how long after pgbench the memory at rest is read again (default 15s:',
  "the services' pools close idle connections after 10 s).",
  '--trace-sampling RATIO (with --start): the share of orders whose traces the started system records',
  "and exports to Jaeger, as production would sample (OpenTelemetry's parentbased_traceidratio;",
  '1: every order; OTEL_TRACES_SAMPLER set in the environment wins). Default 0.1.',
  '--brokers rabbitmq,kafka (with --start, no system running): the whole bench once per broker, each',
  'on a system of its own (HARNESS_BROKER), each report in <reports-dir>/<broker>/, then both side',
  'by side (memory at rest, capacity at SLO, CPU per order, …) with the second ÷ the first and its',
  'targets (memory at rest ≤ 1.5×, capacity at SLO ≥ 0.9×), saved as <reports-dir>/brokers-<time>.json.',
  '',
  'harness --config FILE bench [--profile NAME] [--steps 1,2,4,8,16] [--step-duration 10s] [--rest 5]',
  '              [--reports-dir DIR] [--start]',
  '',
  "With --config naming another system: that system's load profile (default: the first) at each",
  "concurrency step (k6 VUs) for --step-duration, judged by the profile's thresholds; per step",
  'req/s, p50/p95/p99, failures and CPU per request of every process of the run (services,',
  'PostgreSQL, the broker, Toxiproxy); memory at rest and --rest seconds after the load; the',
  'capacity is the busiest step that held every threshold. Writes',
  'reports/systems/<name>/bench/bench-<time>.json.',
].join('\n');

const DEFAULT_BASELINE = path.join(REPO_ROOT, 'load', 'baseline.json');

interface BaselineFile {
  savedAt: string;
  machine: BenchReport['machine'];
  options: BenchReport['options'];
  figures: BenchFigures;
}

const fixed = (n: number, digits = 1): string => n.toFixed(digits);

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

/** `--trace-sampling`: a ratio in [0, 1]. */
export function traceSampling(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !(Number.isFinite(value) && value >= 0 && value <= 1))
    throw new CliError(`--trace-sampling must be a ratio from 0 to 1, got "${raw}"`, 2);
  return value;
}

/**
 * What a system `harness bench` starts samples: OpenTelemetry's standard variables, which every kit
 * service's tracer reads (a parent-based ratio: the gateway decides per order, the rest follow).
 * Values already in the environment win. Returns what the system will run with.
 */
export function applyTraceSampling(ratio: number, env: NodeJS.ProcessEnv = process.env): string {
  env.OTEL_TRACES_SAMPLER ??= ratio >= 1 ? 'parentbased_always_on' : 'parentbased_traceidratio';
  if (env.OTEL_TRACES_SAMPLER === 'parentbased_traceidratio') env.OTEL_TRACES_SAMPLER_ARG ??= String(ratio);
  return env.OTEL_TRACES_SAMPLER_ARG === undefined
    ? env.OTEL_TRACES_SAMPLER
    : `${env.OTEL_TRACES_SAMPLER} ${env.OTEL_TRACES_SAMPLER_ARG}`;
}

function steps(raw: string): number[] {
  try {
    return parseSteps(raw);
  } catch (error) {
    throw new CliError(`--steps: ${(error as Error).message}`, 2);
  }
}

function duration(raw: string, flag: string): string {
  try {
    durationSeconds(raw);
  } catch (error) {
    throw new CliError(`${flag}: ${(error as Error).message}`, 2);
  }
  return raw;
}

/**
 * The B of the whole-system A/B: stops the proxied system bench started, starts one with every
 * link direct and measures the gateway's ceiling on it. A failure here costs only the A/B: the
 * rest of the report stands, so it is reported and not thrown.
 */
async function directSystemCeiling(
  options: Parameters<typeof measureGatewayCeiling>[1],
  log: (line: string) => void,
): Promise<{ figures?: PhaseFigures; running: boolean }> {
  log('A/B: stopping the proxied system, starting one with every link direct (`harness up --direct`)');
  await stopRun();
  if (!(await startRun({ wiring: 'direct' }))) {
    console.log(red('  A/B          could not start the direct system; the whole-system overhead is not measured'));
    return { running: systemIsRunning() };
  }
  try {
    const state = readyRun();
    log(`warm-up: ${options.vus} concurrent for ${options.warmup}`);
    await warmUp(state, options);
    log(`ceiling: gateway-direct-system, ${options.vus} concurrent for ${options.ceilingDuration}`);
    return { figures: await measureGatewayCeiling(state, options, 'gateway-direct-system'), running: true };
  } catch (error) {
    console.log(red(`  A/B          the direct system's ceiling failed: ${(error as Error).message}`));
    return { running: true };
  }
}

export const bench: Command = {
  summary: 'benchmark the running system: orders/s, latency, memory, ratios; compare with the baseline',
  usage,
  async run(args) {
    // The figures are production's: a system bench starts does not check its responses against
    // the specs (set before the config is read; the check's cost is measured apart, services/kit/bench/).
    process.env.HARNESS_VALIDATE_RESPONSES ??= 'off';
    const config = await commandConfig();
    if (config.file !== referenceConfigFile) return benchConfigSystem(config, args);
    const { values } = parseOptions(
      args,
      {
        rate: { type: 'string', default: '500' },
        duration: { type: 'string', default: '20s' },
        vus: { type: 'string', default: '32' },
        'ceiling-duration': { type: 'string', default: '8s' },
        warmup: { type: 'string', default: '5s' },
        'pgbench-seconds': { type: 'string', default: '5' },
        steps: { type: 'string', default: DEFAULT_STEPS.join(',') },
        'step-duration': { type: 'string', default: '8s' },
        'cpu-profile-duration': { type: 'string', default: '10s' },
        'rest-after-load': { type: 'string', default: '15s' },
        product: { type: 'string' },
        'reports-dir': { type: 'string' },
        baseline: { type: 'string' },
        'save-baseline': { type: 'boolean' },
        'no-baseline': { type: 'boolean' },
        start: { type: 'boolean' },
        brokers: { type: 'string' },
        'trace-sampling': { type: 'string', default: '0.1' },
      },
      usage,
    );
    const sampling = traceSampling(values['trace-sampling']);
    if (values.brokers !== undefined)
      return benchEachBroker(
        brokerList(values.brokers),
        args,
        path.resolve(values['reports-dir'] ?? path.join(REPO_ROOT, 'reports', 'bench')),
        values.start === true,
      );
    const options = {
      rate: positive(values.rate, '--rate'),
      duration: duration(values.duration, '--duration'),
      vus: positive(values.vus, '--vus'),
      ceilingDuration: duration(values['ceiling-duration'], '--ceiling-duration'),
      warmup: duration(values.warmup, '--warmup'),
      pgbenchSeconds: positive(values['pgbench-seconds'], '--pgbench-seconds'),
      steps: steps(values.steps),
      stepDuration: duration(values['step-duration'], '--step-duration'),
      cpuProfileDuration: duration(values['cpu-profile-duration'], '--cpu-profile-duration'),
      restAfterLoad: duration(values['rest-after-load'], '--rest-after-load'),
      ...(values.product === undefined ? {} : { productId: values.product }),
    };
    const reportsDir = path.resolve(values['reports-dir'] ?? path.join(REPO_ROOT, 'reports', 'bench'));
    const profilesDir = path.join(reportsDir, 'profiles');
    const baselineFile = path.resolve(values.baseline ?? DEFAULT_BASELINE);
    let startedHere = false;
    if (values.start && !systemIsRunning()) {
      const sampler = applyTraceSampling(sampling);
      console.log(`no running system; starting one (\`harness up\`, traces sampled: ${sampler})`);
      if (!(await startRun())) throw new CliError('could not start the system');
      startedHere = true;
    }
    try {
      const state = readyRun();
      const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-bench-'));
      const wholeSystemAb = startedHere;
      console.log(
        `harness bench → ${state.infra?.services.gateway?.url}${state.wiring === 'direct' ? ' (a --direct system)' : ''} ${dim(`(at most ~${plannedBenchSeconds(options, wholeSystemAb)} s of load; k6 logs in ${workDir})`)}`,
      );
      if (!wholeSystemAb)
        console.log(
          yellow(
            '  note         attached to a running system: the whole-system Toxiproxy A/B needs `harness bench --start` with none running; only the L1 hop is compared',
          ),
        );
      const log = (line: string): void => console.log(dim(`  … ${line}`));
      let report = await runBench(state, { ...options, workDir, profilesDir, log });
      if (wholeSystemAb) {
        // The proxied system goes first (above); the direct one is started only for its ceiling.
        startedHere = false;
        const direct = await directSystemCeiling({ ...options, workDir }, log);
        startedHere = direct.running;
        if (direct.figures) report = withDirectSystem(report, direct.figures);
      }
      const file = writeBenchReport(report, reportsDir);
      for (const line of describeBench(report)) console.log(`  ${line}`);
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
      if (values['no-baseline']) return 0;
      if (!fs.existsSync(baselineFile)) {
        console.log(yellow(`  baseline     none at ${baselineFile}; store one with --save-baseline`));
        return 0;
      }
      const baseline = JSON.parse(fs.readFileSync(baselineFile, 'utf8')) as BaselineFile;
      const differs = (
        ['rate', 'duration', 'vus', 'ceilingDuration', 'warmup', 'pgbenchSeconds', 'steps', 'stepDuration'] as const
      ).filter((key) => String(baseline.options[key]) !== String(report.options[key]));
      if (differs.length > 0)
        console.log(yellow(`  baseline     measured with other ${differs.join(', ')}: not like for like`));
      const regressions = findRegressions(report.figures, baseline.figures);
      console.log(`  ${describeRegressions(regressions, baselineFile)}`);
      return regressions.length === 0 ? 0 : 1;
    } finally {
      if (startedHere) await stopRun();
    }
  },
};

/** `harness bench` on a config system: its load profile at rising concurrency (see configBench). */
async function benchConfigSystem(config: ResolvedConfig, args: string[]): Promise<number> {
  const { values } = parseOptions(
    args,
    {
      profile: { type: 'string' },
      steps: { type: 'string', default: '1,2,4,8,16' },
      'step-duration': { type: 'string', default: '10s' },
      rest: { type: 'string', default: '5' },
      'reports-dir': { type: 'string' },
      start: { type: 'boolean' },
    },
    usage,
  );
  const profile = values.profile ?? Object.keys(config.load.profiles)[0];
  if (profile === undefined)
    throw new CliError(`${config.name} has no load.profiles to benchmark; add one to ${config.file}`, 2);
  const vus = steps(values.steps);
  if (vus.some((step) => !Number.isInteger(step)))
    throw new CliError(`--steps: VU counts must be whole numbers, got "${values.steps}"`, 2);
  const options = {
    profile,
    steps: vus,
    stepDuration: duration(values['step-duration'], '--step-duration'),
    restSeconds: positive(values.rest, '--rest'),
    ...(values['reports-dir'] === undefined ? {} : { reportsDir: values['reports-dir'] }),
  };
  return withSystem(config.name, values.start === true, () => runConfigBench(config, options));
}

function brokerList(raw: string): BrokerKind[] {
  const brokers = raw.split(',').map((name) => name.trim());
  const unknown = brokers.filter((name) => !(BROKER_KINDS as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new CliError(`--brokers: unknown broker ${unknown.join(', ')} (known: ${BROKER_KINDS.join(', ')})`, 2);
  if (new Set(brokers).size !== brokers.length || brokers.length < 2)
    throw new CliError(`--brokers: name two different brokers to compare, e.g. rabbitmq,kafka; got "${raw}"`, 2);
  return brokers as BrokerKind[];
}

/** The arguments without --brokers (and its value), --reports-dir and --baseline: each broker's run gets its own. */
function argsForOneBroker(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (['--brokers', '--reports-dir', '--baseline'].includes(arg)) i++;
    else if (!/^--(brokers|reports-dir|baseline)=/.test(arg) && arg !== '--save-baseline') out.push(arg);
  }
  return out;
}

/**
 * `harness bench --start --brokers a,b`: the whole bench on a system of each broker in turn (a
 * child `harness bench --start` with HARNESS_BROKER set, so each run loads the config afresh), then
 * the figures side by side.
 */
async function benchEachBroker(
  brokers: BrokerKind[],
  args: readonly string[],
  reportsDir: string,
  start: boolean,
): Promise<number> {
  if (!start || systemIsRunning())
    throw new CliError(
      '--brokers starts a system per broker: pass --start, with no system running (`harness down` first)',
      2,
    );
  const runs: Array<{ broker: BrokerKind; figures: BenchReport['figures']; file: string }> = [];
  let exitCode = 0;
  for (const broker of brokers) {
    const dir = path.join(reportsDir, broker);
    console.log(
      `\n=== harness bench on ${broker} (HARNESS_BROKER=${broker}) → ${path.relative(process.cwd(), dir) || dir}`,
    );
    const before = new Set(fs.existsSync(dir) ? fs.readdirSync(dir) : []);
    const code = await new Promise<number>((resolve) => {
      const child = spawn(
        process.execPath,
        [process.argv[1] ?? '', 'bench', ...argsForOneBroker(args), '--reports-dir', dir, '--no-baseline'],
        { stdio: 'inherit', env: { ...process.env, HARNESS_BROKER: broker } },
      );
      child.on('close', (status) => resolve(status ?? 1));
      child.on('error', () => resolve(1));
    });
    exitCode = Math.max(exitCode, code);
    const written = (fs.existsSync(dir) ? fs.readdirSync(dir) : [])
      .filter((name) => /^bench-.*\.json$/.test(name) && !before.has(name))
      .sort()
      .at(-1);
    if (written === undefined) {
      console.log(red(`  ${broker}: the bench wrote no report (exit ${code})`));
      continue;
    }
    const file = path.join(dir, written);
    runs.push({ broker, figures: (JSON.parse(fs.readFileSync(file, 'utf8')) as BenchReport).figures, file });
  }
  if (runs.length < 2) {
    console.log(red('brokers      fewer than two reports: nothing to compare'));
    return Math.max(exitCode, 1);
  }
  const comparison = compareBrokers(runs);
  console.log(`\n=== ${brokers.join(' vs ')}, one run each on this machine`);
  for (const line of describeBrokerComparison(comparison)) console.log(`  ${line}`);
  const file = path.join(reportsDir, `brokers-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.mkdirSync(reportsDir, { recursive: true });
  fs.writeFileSync(
    file,
    `${JSON.stringify({ at: new Date().toISOString(), reports: runs.map(({ broker, file: f }) => ({ broker, file: f })), ...comparison }, null, 2)}\n`,
  );
  console.log(`  results      ${path.relative(process.cwd(), file) || file}`);
  return exitCode;
}
