import path from 'node:path';
import { readRunState, REPO_ROOT } from '@harness/runtime';
import type { Command } from '../cli.ts';
import { durationSeconds } from '../load/duration.ts';
import { describeSummary } from '../load/k6Summary.ts';
import { LOAD_PROFILES, profileNamed } from '../load/profiles.ts';
import { runLoadProfile } from '../load/runLoadProfile.ts';
import { resolveTarget } from '../load/target.ts';
import { CliError, dim, green, parseOptions, red } from '../output.ts';
import { down } from './down.ts';
import { up } from './up.ts';

const usage = [
  'harness load <profile> [--duration 30s] [--rate N] [--p95 MS] [--p99 MS]',
  '                       [--base-url URL --api-key KEY] [--toxiproxy-url URL] [--start]',
  '                       [--time-scale F] [--fault-proxy NAME] [--product ID] [--reports-dir DIR] [--verbose]',
  '',
  'profiles:',
  ...LOAD_PROFILES.map((p) => `  ${p.name.padEnd(22)} ${p.description}`),
  '',
  'Attaches to the system `harness up` runs (or starts it with --start and stops it after), runs',
  'k6, writes reports/load/<profile>/{summary.json,report.html,junit.xml,k6.log}; exits 1 when an',
  'SLO threshold fails. --p95/--p99 override the latency SLOs (ms); --time-scale shrinks the',
  'fault schedule of chaos profiles.',
].join('\n');

function positiveNumber(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!(Number.isFinite(value) && value > 0)) throw new CliError(`${flag} must be a positive number, got "${raw}"`, 2);
  return value;
}

export const load: Command = {
  summary: 'run a k6 load profile against the running system, gated on SLO thresholds',
  usage,
  async run(args) {
    const { values, positionals } = parseOptions(
      args,
      {
        duration: { type: 'string' },
        rate: { type: 'string' },
        p95: { type: 'string' },
        p99: { type: 'string' },
        'base-url': { type: 'string' },
        'api-key': { type: 'string' },
        'toxiproxy-url': { type: 'string' },
        start: { type: 'boolean' },
        'time-scale': { type: 'string' },
        'fault-proxy': { type: 'string' },
        product: { type: 'string' },
        'reports-dir': { type: 'string' },
        verbose: { type: 'boolean' },
      },
      usage,
    );
    const name = positionals[0];
    if (!name || positionals.length > 1) throw new CliError(`name one profile\nusage: ${usage}`, 2);
    const profile = profileNamed(name);
    if (!profile)
      throw new CliError(`unknown profile "${name}"; one of: ${LOAD_PROFILES.map((p) => p.name).join(', ')}`, 2);
    if (values.duration !== undefined) {
      if (profile.chaos) throw new CliError(`${name} follows its fault schedule; shorten it with --time-scale`, 2);
      try {
        durationSeconds(values.duration);
      } catch (error) {
        throw new CliError(`--duration: ${(error as Error).message}`, 2);
      }
    }
    const rate = positiveNumber(values.rate, '--rate');
    const p95Ms = positiveNumber(values.p95, '--p95');
    const p99Ms = positiveNumber(values.p99, '--p99');
    const timeScale = positiveNumber(values['time-scale'], '--time-scale');

    const flags = {
      baseUrl: values['base-url'],
      apiKey: values['api-key'],
      toxiproxyUrl: values['toxiproxy-url'],
    };
    let startedHere = false;
    if (values.start && flags.baseUrl === undefined && !readRunState()) {
      console.log('no running system; starting one (`harness up`)');
      if ((await up.run([])) !== 0) throw new CliError('could not start the system');
      startedHere = true;
    }
    try {
      const target = resolveTarget(flags);
      if (profile.chaos && !target.toxiproxyUrl)
        throw new CliError(`${name} drives Toxiproxy: give --toxiproxy-url with --base-url`, 2);
      const reportDir = path.resolve(values['reports-dir'] ?? path.join(REPO_ROOT, 'reports', 'load', name));
      console.log(`harness load ${name} → ${target.baseUrl} ${dim(`(${target.source === 'run' ? 'the running system' : 'given URL'})`)}`);
      const result = await runLoadProfile({
        profile,
        target,
        reportDir,
        ...(values.duration === undefined ? {} : { duration: values.duration }),
        ...(rate === undefined ? {} : { rate }),
        ...(p95Ms === undefined ? {} : { p95Ms }),
        ...(p99Ms === undefined ? {} : { p99Ms }),
        ...(timeScale === undefined ? {} : { timeScale }),
        ...(values['fault-proxy'] === undefined ? {} : { faultProxy: values['fault-proxy'] }),
        ...(values.product === undefined ? {} : { productId: values.product }),
        echo: values.verbose === true,
      });
      if (result.summary) for (const line of describeSummary(result.summary)) console.log(`  ${line}`);
      if (result.runError) console.error(red(`  ${result.runError}`));
      const rel = (file: string): string => path.relative(process.cwd(), file) || file;
      console.log(`  reports      ${rel(result.reports.summary)}, ${rel(result.reports.html)}, ${rel(result.reports.junit)}`);
      console.log(`  k6 log       ${rel(result.reports.log)}`);
      if (result.missing.length > 0) console.error(red(`  not written: ${result.missing.map(rel).join(', ')}`));
      const crossed = result.thresholds.filter((t) => !t.ok).length;
      if (result.passed) console.log(green(`load ${name}: passed (${result.thresholds.length} SLOs held)`));
      else
        console.error(
          red(`load ${name}: FAILED (${crossed} of ${result.thresholds.length} SLOs crossed${result.runError ? ', run incomplete' : ''})`),
        );
      return result.passed ? 0 : 1;
    } finally {
      if (startedHere) await down.run([]);
    }
  },
};
