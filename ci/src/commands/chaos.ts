import {
  InvalidScenarioError,
  loadScenarios,
  runSuite,
  runSystemChaos,
  tunedEnvForUp,
  useKitConfig,
  type Profile,
} from '@harness/chaos';
import { commandConfig } from '../commandConfig.ts';
import type { Command } from '../command.ts';
import { withInterrupt } from '../interrupt.ts';
import { CliError, green, parseOptions, red } from '../output.ts';

const usage = [
  'harness chaos [--config FILE] [scenario…] [--profile ci|full] [--repeat N] [--seed N] [--parallel N] [--attach] [--reports-dir DIR]',
  'harness chaos --list | --print-env',
  '',
  'Runs chaos scenarios (chaos.scenarios of the config, by id or number; default: all of the profile). Starts its',
  'own system (PostgreSQL, RabbitMQ, Toxiproxy, the services on a chaos-tuned env) unless --attach',
  'is given, in which case it uses the one `harness up` runs (start that one with',
  '`env $(harness chaos --print-env) harness up`) and skips scenarios that kill or reconfigure',
  'services. Every fault is rolled back, also on failure and Ctrl-C. Writes',
  'reports/chaos/<run>/{journal.json,junit.xml,index.html} and reports/junit/chaos.xml; exits 1',
  'when a scenario failed or passed vacuously (its fault never touched traffic), or none passed.',
  '  --profile    ci (default): the scenarios marked ci, CI-sized workloads; full: every scenario, also those',
  '               too long for CI (payment flapping, a database outage), twice the traffic, each run twice',
  '  --repeat     run each scenario N times and report the flake rate (default 1; 2 with --profile full)',
  '  --seed       Toxiproxy seed, for reproducible toxicity decisions',
  '  --parallel   N systems side by side (default 1), each on ports of its own; a free one takes the next',
  '               scenario, and each scenario prints its output as one block when it ends',
  '  --list       the scenarios, numbered',
  '  --print-env  the chaos-tuned service env, as NAME=value lines',
  '',
  'A config whose chaos.runner is black-box (the default; any system, any language) runs the',
  'scenarios its chaos.scenarios globs name, on a system of its own (a tap in front of every HTTP',
  "link), judged by the black-box oracles of each link's promised resilience and its invariants.",
  'The kit runner (chaos.runner: kit, the reference system) is described above.',
].join('\n');

export const chaos: Command = {
  summary: 'run chaos scenarios (Toxiproxy, process and message faults) with oracles, invariants and reports',
  usage,
  async run(args) {
    const { values, positionals } = parseOptions(
      args,
      {
        profile: { type: 'string', default: 'ci' },
        repeat: { type: 'string' },
        seed: { type: 'string' },
        parallel: { type: 'string', default: '1' },
        attach: { type: 'boolean' },
        list: { type: 'boolean' },
        'print-env': { type: 'boolean' },
        'reports-dir': { type: 'string' },
      },
      usage,
    );
    if (values.profile !== 'ci' && values.profile !== 'full')
      throw new CliError(`--profile must be ci or full, got "${values.profile}"`, 2);
    // The full profile runs each scenario twice unless told otherwise: its verdict includes a flake rate.
    const repeat = Number(values.repeat ?? (values.profile === 'full' ? '2' : '1'));
    if (!(Number.isInteger(repeat) && repeat >= 1 && repeat <= 100))
      throw new CliError('--repeat must be an integer in 1..100', 2);
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    if (seed !== undefined && !Number.isInteger(seed))
      throw new CliError(`--seed must be an integer, got "${values.seed}"`, 2);
    const parallel = Number(values.parallel);
    if (!(Number.isInteger(parallel) && parallel >= 1 && parallel <= 8))
      throw new CliError(`--parallel must be an integer in 1..8, got "${values.parallel}"`, 2);
    if (parallel > 1 && values.attach === true)
      throw new CliError('--parallel needs systems of its own: --attach uses the one running system', 2);
    const config = await commandConfig();
    if (config.chaos.runner === 'kit') useKitConfig(config);
    else {
      // Any system: its scenarios, judged by the black-box oracles and its invariants.
      const result = await withInterrupt('chaos', (signal) =>
        runSystemChaos(config, {
          scenarios: positionals,
          repeat,
          parallel,
          signal,
          ...(seed === undefined ? {} : { seed }),
          ...(values['reports-dir'] === undefined ? {} : { reportsDir: values['reports-dir'] }),
        }),
      );
      const passed = result.outcomes.filter((outcome) => outcome.passed).length;
      const line = `${passed} passed, ${result.outcomes.length - passed} failed`;
      console.log(result.exitCode === 0 ? green(`chaos: ${line}`) : red(`chaos: ${line}`));
      console.log(`report: ${result.reportDir}/journal.json`);
      return result.exitCode;
    }
    if (values.list) return listScenarios();
    if (values['print-env']) {
      for (const [name, value] of Object.entries(tunedEnvForUp())) console.log(`${name}=${value}`);
      return 0;
    }

    try {
      const result = await withInterrupt('chaos', (signal) =>
        runSuite({
          scenarios: positionals,
          profile: values.profile as Profile,
          repeat,
          seed,
          parallel,
          attach: values.attach === true,
          signal,
          ...(values['reports-dir'] === undefined ? {} : { reportsDir: values['reports-dir'] }),
        }),
      );
      const { summary, durationMs } = result.journal;
      const line = `${summary.passed} passed, ${summary.failed} failed, ${summary.vacuous} vacuous, ${summary.skipped} skipped in ${(durationMs / 1000).toFixed(1)} s`;
      console.log(result.exitCode === 0 ? green(`chaos: ${line}`) : red(`chaos: ${line}`));
      if (repeat > 1) {
        for (const flake of summary.flakeRates)
          console.log(`  flake rate ${flake.scenario}: ${flake.notPassed}/${flake.runs}`);
      }
      console.log(`report: ${result.reportDir}/index.html`);
      return result.exitCode;
    } catch (error) {
      if (error instanceof InvalidScenarioError) throw new CliError(error.message, 2);
      throw error;
    }
  },
};

async function listScenarios(): Promise<number> {
  const scenarios = await loadScenarios();
  scenarios.forEach((scenario, index) => {
    console.log(
      `${String(index + 1).padStart(2)}  ${scenario.id.padEnd(42)} ${scenario.ci ? 'ci  ' : '    '}${scenario.title}`,
    );
  });
  return 0;
}
