import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, referenceConfigFile, type ResolvedConfig } from '@harness/runtime';
import { commandConfig } from '../commandConfig.ts';
import { runConfigLoad } from '../load/configLoad.ts';
import type { Command } from '../command.ts';
import { durationSeconds } from '../load/duration.ts';
import { junitXml } from '../load/junit.ts';
import { K6_EXIT } from '../load/k6Process.ts';
import { describeSummary } from '../load/k6Summary.ts';
import { LOAD_PROFILES, LOAD_SUITES, profileNamed, type SuiteRun } from '../load/profiles.ts';
import { runLoadProfile, type LoadRunOptions, type LoadRunResult } from '../load/runLoadProfile.ts';
import { resolveTarget, type LoadTarget } from '../load/target.ts';
import { CliError, dim, green, parseOptions, red } from '../output.ts';
import { withSystem } from './withSystem.ts';

const usage = [
  'harness load <profile|suite> [--duration 30s] [--rate N] [--p95 MS] [--p99 MS]',
  '             [--base-url URL --api-key KEY] [--toxiproxy-url URL] [--jaeger-url URL] [--start]',
  '             [--time-scale F] [--fault-proxy NAME] [--fault-latency MS] [--recovery-bound S]',
  '             [--product ID] [--reports-dir DIR] [--junit FILE] [--verbose] [--allow-remote]',
  '',
  'profiles:',
  ...LOAD_PROFILES.map((p) => `  ${p.name.padEnd(22)} ${p.description}`),
  'suites:',
  ...Object.entries(LOAD_SUITES).map(([name, suite]) => `  ${name.padEnd(22)} ${suite.description}`),
  '',
  'Attaches to the system `harness up` runs (or starts it with --start and stops it after), runs',
  'k6, writes reports/load/<profile>/{summary.json,report.html,junit.xml,k6.log,slowest.json}; exits 1 when an',
  'SLO threshold fails. --p95/--p99 override the latency SLOs (ms); --time-scale shrinks the',
  'fault schedule of chaos profiles; --junit also writes one JUnit file for all runs. Load goes to',
  'loopback addresses only unless --allow-remote is given. Every request carries a fresh W3C',
  'traceparent; slowest.json lists the slowest requests with their trace ids, and their traces are',
  "kept as traces/<id>.json when Jaeger can be read (the running system's, or --jaeger-url).",
  '',
  'With --config naming another system, <profile> is one of its load.profiles (its k6 script, VUs,',
  'duration and thresholds), sent to load.target or --base-url; --start starts that system first.',
].join('\n');

const OPTIONS = {
  duration: { type: 'string' },
  rate: { type: 'string' },
  p95: { type: 'string' },
  p99: { type: 'string' },
  'base-url': { type: 'string' },
  'api-key': { type: 'string' },
  'toxiproxy-url': { type: 'string' },
  'jaeger-url': { type: 'string' },
  start: { type: 'boolean' },
  'allow-remote': { type: 'boolean' },
  'time-scale': { type: 'string' },
  'fault-proxy': { type: 'string' },
  'fault-latency': { type: 'string' },
  'recovery-bound': { type: 'string' },
  product: { type: 'string' },
  'reports-dir': { type: 'string' },
  junit: { type: 'string' },
  verbose: { type: 'boolean' },
} as const;

function positiveNumber(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!(Number.isFinite(value) && value > 0)) throw new CliError(`${flag} must be a positive number, got "${raw}"`, 2);
  return value;
}

/** The runs a name stands for: one profile, or the runs of a suite. */
function runsOf(name: string): SuiteRun[] {
  if (profileNamed(name)) return [{ profile: name }];
  const suite = LOAD_SUITES[name];
  if (suite) return suite.runs;
  const known = [...LOAD_PROFILES.map((p) => p.name), ...Object.keys(LOAD_SUITES)];
  throw new CliError(`unknown profile "${name}"; one of: ${known.join(', ')}`, 2);
}

function printResult(name: string, result: LoadRunResult): void {
  if (result.summary) for (const line of describeSummary(result.summary)) console.log(`  ${line}`);
  const ran = (result.summary?.state?.testRunDurationMs ?? 0) / 1000;
  // The plan includes graceful stops; a run that ended well before it was stopped by a threshold.
  if (result.k6ExitCode === K6_EXIT.thresholdsFailed && ran > 0 && ran < result.plannedSeconds - 15)
    console.log(
      `  stopped      after ${ran.toFixed(1)} s of ${result.plannedSeconds} s planned: an abortOnFail SLO broke`,
    );
  if (result.runError) console.error(red(`  ${result.runError}`));
  const rel = (file: string): string => path.relative(process.cwd(), file) || file;
  console.log(
    `  reports      ${rel(result.reports.summary)}, ${rel(result.reports.html)}, ${rel(result.reports.junit)}`,
  );
  console.log(`  k6 log       ${rel(result.reports.log)}`);
  for (const [index, request] of result.slowest.slice(0, 3).entries())
    console.log(
      `  ${index === 0 ? 'slowest     ' : '            '} ${Math.round(request.ms)} ms ${request.endpoint} ${request.status} trace ${request.traceId}${request.trace ? ` → ${rel(path.join(path.dirname(result.reports.slowest), request.trace))}` : dim(' (not kept)')}`,
    );
  if (result.missing.length > 0) console.error(red(`  not written: ${result.missing.map(rel).join(', ')}`));
  const crossed = result.thresholds.filter((t) => !t.ok).length;
  if (result.passed) console.log(green(`load ${name}: passed (${result.thresholds.length} SLOs held)`));
  else
    console.error(
      red(
        `load ${name}: FAILED (${crossed} of ${result.thresholds.length} SLOs crossed${result.runError ? ', run incomplete' : ''})`,
      ),
    );
}

export const load: Command = {
  summary: 'run a k6 load profile against the running system, gated on SLO thresholds',
  usage,
  async run(args) {
    const { values, positionals } = parseOptions(args, OPTIONS, usage);
    const name = positionals[0];
    if (!name || positionals.length > 1) throw new CliError(`name one profile or suite\nusage: ${usage}`, 2);
    const config = await commandConfig();
    if (config.file !== referenceConfigFile) return loadConfigProfile(config, name, values);
    const runs = runsOf(name);
    if (values.duration !== undefined) {
      if (runs.some((run) => profileNamed(run.profile)?.chaos))
        throw new CliError(`${name} follows its fault schedule; shorten it with --time-scale`, 2);
      try {
        durationSeconds(values.duration);
      } catch (error) {
        throw new CliError(`--duration: ${(error as Error).message}`, 2);
      }
    }
    const shared: Omit<LoadRunOptions, 'profile' | 'target' | 'reportDir'> = { echo: values.verbose === true };
    const rate = positiveNumber(values.rate, '--rate');
    const p95Ms = positiveNumber(values.p95, '--p95');
    if (p95Ms !== undefined) shared.p95Ms = p95Ms;
    const p99Ms = positiveNumber(values.p99, '--p99');
    if (p99Ms !== undefined) shared.p99Ms = p99Ms;
    const timeScale = positiveNumber(values['time-scale'], '--time-scale');
    const faultLatencyMs = positiveNumber(values['fault-latency'], '--fault-latency');
    if (faultLatencyMs !== undefined) shared.faultLatencyMs = faultLatencyMs;
    const recoveryBoundS = positiveNumber(values['recovery-bound'], '--recovery-bound');
    if (recoveryBoundS !== undefined) shared.recoveryBoundS = recoveryBoundS;
    if (values['fault-proxy'] !== undefined) shared.faultProxy = values['fault-proxy'];
    if (values.product !== undefined) shared.productId = values.product;

    const flags = {
      baseUrl: values['base-url'],
      apiKey: values['api-key'],
      toxiproxyUrl: values['toxiproxy-url'],
      jaegerUrl: values['jaeger-url'],
      allowRemote: values['allow-remote'] === true,
    };
    return withSystem(config.name, values.start === true && flags.baseUrl === undefined, async () => {
      const target: LoadTarget = resolveTarget(flags);
      const results: LoadRunResult[] = [];
      for (const run of runs) {
        const profile = profileNamed(run.profile);
        if (!profile) throw new CliError(`suite ${name} names an unknown profile ${run.profile}`);
        if (profile.chaos && !target.toxiproxyUrl)
          throw new CliError(`${profile.name} drives Toxiproxy: give --toxiproxy-url with --base-url`, 2);
        // One profile with --reports-dir writes there; otherwise one folder per profile.
        const given = values['reports-dir'];
        const reportDir = path.resolve(
          given !== undefined && runs.length === 1
            ? given
            : path.join(given ?? path.join(REPO_ROOT, 'reports', 'load'), profile.name),
        );
        const duration = values.duration ?? run.duration;
        const runRate = rate ?? run.rate;
        const runScale = timeScale ?? run.timeScale;
        // The graphql profile crosses the GraphQL link's proxy (L10) when the run has one.
        const into =
          profile.script === 'graphql.k6.ts' && target.graphql
            ? `${target.graphql.url} (${target.graphql.link})`
            : target.baseUrl;
        console.log(
          `harness load ${profile.name} → ${into} ${dim(`(${target.source === 'run' ? 'the running system' : 'given URL'})`)}`,
        );
        const result = await runLoadProfile({
          ...shared,
          profile,
          target,
          reportDir,
          ...(duration === undefined ? {} : { duration }),
          ...(runRate === undefined ? {} : { rate: runRate }),
          ...(runScale === undefined ? {} : { timeScale: runScale }),
        });
        printResult(profile.name, result);
        results.push(result);
        if (result.runError && !result.summary) break;
      }
      if (values.junit !== undefined) {
        fs.mkdirSync(path.dirname(path.resolve(values.junit)), { recursive: true });
        fs.writeFileSync(values.junit, junitXml(...results.map((result) => result.junit)));
      }
      return results.length === runs.length && results.every((result) => result.passed) ? 0 : 1;
    });
  },
};

/** A config system's load profile: `--start` brings the system up first and down after. */
async function loadConfigProfile(
  config: ResolvedConfig,
  name: string,
  values: {
    start?: boolean;
    'base-url'?: string;
    'allow-remote'?: boolean;
    'reports-dir'?: string;
    junit?: string;
    verbose?: boolean;
  },
): Promise<number> {
  return withSystem(config.name, values.start === true && values['base-url'] === undefined, () =>
    runConfigLoad(config, {
      profile: name,
      allowRemote: values['allow-remote'] === true,
      echo: values.verbose === true,
      ...(values['base-url'] === undefined ? {} : { baseUrl: values['base-url'] }),
      ...(values['reports-dir'] === undefined ? {} : { reportsDir: values['reports-dir'] }),
      ...(values.junit === undefined ? {} : { junit: values.junit }),
    }),
  );
}
