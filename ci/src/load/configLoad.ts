import fs from 'node:fs';
import path from 'node:path';
import { readRunState, REPO_ROOT, type ResolvedConfig } from '@harness/runtime';
import { CliError, green, red } from '../output.ts';
import { junitXml } from './junit.ts';
import { dashboardEnv, K6_EXIT, k6Binary, runK6 } from './k6Process.ts';
import { assertLoopback } from './target.ts';

export interface ConfigLoadOptions {
  profile: string;
  /** Overrides the config's `load.target`. */
  baseUrl?: string;
  allowRemote: boolean;
  reportsDir?: string;
  junit?: string;
  echo: boolean;
}

interface ThresholdOutcome {
  metric: string;
  expression: string;
  passed: boolean;
}

/**
 * `harness load <profile>` for a config system: runs the profile's k6 script with its VUs and
 * duration (as K6_VUS/K6_DURATION, which win over the script's options) and its thresholds (a k6
 * config file, which the script's own thresholds replace), BASE_URL pointing at the target (a URL,
 * or a service of the running system), and writes reports/load/<system>/<profile>/{summary.json,
 * report.html,junit.xml,k6.log}. Exit code 1 when a threshold failed or k6 failed.
 */
export async function runConfigLoad(config: ResolvedConfig, options: ConfigLoadOptions): Promise<number> {
  const profile = config.load.profiles[options.profile];
  if (!profile) {
    const known = Object.keys(config.load.profiles);
    throw new CliError(
      `unknown profile "${options.profile}"; the config's load.profiles: ${known.join(', ') || 'none (add some to the config)'}`,
      2,
    );
  }
  if (!fs.existsSync(profile.script))
    throw new CliError(`load.profiles.${options.profile}.script: no such file: ${profile.script}`);
  const baseUrl = targetUrl(config, options);
  const reportDir = path.resolve(
    options.reportsDir ?? path.join(REPO_ROOT, 'reports', 'systems', config.name, 'load', options.profile),
  );
  fs.rmSync(reportDir, { recursive: true, force: true });
  fs.mkdirSync(reportDir, { recursive: true });
  const summaryFile = path.join(reportDir, 'summary.json');
  const optionsFile = path.join(reportDir, 'k6-options.json');
  fs.writeFileSync(optionsFile, `${JSON.stringify({ thresholds: profile.thresholds ?? {} }, null, 2)}\n`);
  const env: Record<string, string> = {
    BASE_URL: baseUrl,
    K6_CONFIG: optionsFile,
    K6_SUMMARY_EXPORT: summaryFile,
    ...dashboardEnv(path.join(reportDir, 'report.html')),
    ...(profile.vus === undefined ? {} : { K6_VUS: String(profile.vus) }),
    ...(profile.duration === undefined ? {} : { K6_DURATION: profile.duration }),
  };
  console.log(`harness load ${options.profile} (${config.name}) → ${baseUrl}`);
  const result = await runK6(k6Binary(), {
    script: profile.script,
    env,
    logFile: path.join(reportDir, 'k6.log'),
    timeoutMs: 30 * 60_000,
    echo: options.echo,
  });
  const thresholds = readThresholds(summaryFile);
  for (const outcome of thresholds)
    console.log(`  ${outcome.passed ? green('ok  ') : red('FAIL')} ${outcome.metric} ${outcome.expression}`);
  const broken = result.exitCode !== K6_EXIT.ok && result.exitCode !== K6_EXIT.thresholdsFailed;
  const junit = junitXml({
    suite: `load ${config.name} ${options.profile}`,
    thresholds: thresholds.map((one) => ({ metric: one.metric, expression: one.expression, ok: one.passed })),
    seconds: result.seconds,
    ...(broken || result.timedOut
      ? { runError: `k6 exited ${result.exitCode}${result.timedOut ? ' (timed out)' : ''}` }
      : {}),
  });
  fs.writeFileSync(path.join(reportDir, 'junit.xml'), junit);
  if (options.junit) {
    fs.mkdirSync(path.dirname(path.resolve(options.junit)), { recursive: true });
    fs.writeFileSync(options.junit, junit);
  }
  const rel = (file: string): string => path.relative(process.cwd(), file) || file;
  console.log(`  reports      ${rel(reportDir)}/{summary.json,report.html,junit.xml,k6.log}`);
  const passed = result.exitCode === K6_EXIT.ok && !result.timedOut;
  if (passed) console.log(green(`load ${options.profile}: passed (${thresholds.length} thresholds held)`));
  else
    console.error(
      red(
        result.exitCode === K6_EXIT.thresholdsFailed
          ? `load ${options.profile}: FAILED (${thresholds.filter((t) => !t.passed).length} of ${thresholds.length} thresholds crossed)`
          : `load ${options.profile}: FAILED (k6 exited ${result.exitCode}${result.timedOut ? ', timed out' : ''}; see ${rel(path.join(reportDir, 'k6.log'))})`,
      ),
    );
  return passed ? 0 : 1;
}

/** `--base-url`, else `load.target`: a URL, or the name of a service of the running system. */
function targetUrl(config: ResolvedConfig, options: ConfigLoadOptions): string {
  const given = options.baseUrl ?? config.load.target;
  if (given === undefined) throw new CliError('no target: set load.target in the config or pass --base-url', 2);
  if (/^https?:\/\//.test(given))
    return assertLoopback(given, options.baseUrl ? '--base-url' : 'load.target', options.allowRemote);
  const state = readRunState();
  if (!state || state.status !== 'ready' || state.config !== config.file)
    throw new CliError(
      `load.target names service "${given}", but ${config.name} is not running; start it with \`harness --config ${path.relative(process.cwd(), config.file)} up\` or pass --start`,
    );
  const url = state.infra?.services[given]?.url;
  if (!url) throw new CliError(`load.target: the running system has no service "${given}"`, 2);
  return assertLoopback(url, `service ${given}`, options.allowRemote);
}

/** Threshold outcomes from k6's --summary-export (where `true` means the threshold failed). */
function readThresholds(file: string): ThresholdOutcome[] {
  if (!fs.existsSync(file)) return [];
  const summary = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    metrics?: Record<string, { thresholds?: Record<string, boolean> }>;
  };
  return Object.entries(summary.metrics ?? {}).flatMap(([metric, data]) =>
    Object.entries(data.thresholds ?? {}).map(([expression, failed]) => ({ metric, expression, passed: !failed })),
  );
}
