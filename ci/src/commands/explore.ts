import path from 'node:path';
import { faultSpace, runExplore } from '@harness/chaos';
import type { Command } from '../command.ts';
import { withInterrupt } from '../interrupt.ts';
import { commandConfig } from '../commandConfig.ts';
import { durationSeconds } from '../load/duration.ts';
import { CliError, green, parseOptions, red } from '../output.ts';

const usage = [
  'harness explore [--config FILE] [--ci | --only ROW|CLASS|CELL,...] [--pairs] [--max-runs N] [--time DURATION] [--seed N] [--parallel N] [--reports-dir DIR] [--list]',
  '',
  "Explores the fault space of the config's system, one fault per run: per HTTP link latency past",
  "the caller's timeout, refused, reset, black hole, slow bandwidth, 503 from the tap and the answer",
  'cut mid-body; per database connection refused and slow; per broker connection refused; every',
  "service killed. Each run drives the explore workload (the config's explore.workload, or the kit",
  "domain's exploreWorkload) and is judged by the link's oracles (the promise the fault tests), the",
  'response rules (every 5xx carries Retry-After, no answer past explore.requestBudgetMs), the',
  'invariants and recovery. With --pairs, then every pair of survived cells that dynamic reduction',
  "keeps (each fault alone left traffic on the other's path). Starts its own system. Writes the",
  'resilience coverage matrix to reports/systems/<name>/explore/ (matrix.json, matrix.html,',
  'junit.xml) and, per violated run, a scenario file `harness chaos` replays',
  '(replay/<id>.scenario.ts). Exits 1 when a run was violated or could not run.',
  '  --only      rows (link ids, services), fault classes or cells ("P1 latency"), comma-separated',
  '  --pairs     also pairs of faults after the singles (default: explore.pairs)',
  "  --ci        the config's CI subset (explore.ci: its cells, pairs and run cap)",
  '  --max-runs  at most this many runs; --time: start no run after this long (e.g. 10m)',
  '  --seed      seeds Toxiproxy and the request-level faults (default 1): same seed, same faults',
  '  --parallel  N systems side by side (1-8, default 1), each started once; a free one takes the next run',
  '  --list      the cells, without running them',
].join('\n');

export const explore: Command = {
  summary: 'run every single fault the topology allows and write the resilience coverage matrix',
  usage,
  async run(args) {
    const { values } = parseOptions(
      args,
      {
        only: { type: 'string' },
        'max-runs': { type: 'string' },
        time: { type: 'string' },
        pairs: { type: 'boolean' },
        ci: { type: 'boolean' },
        seed: { type: 'string' },
        parallel: { type: 'string', default: '1' },
        'reports-dir': { type: 'string' },
        list: { type: 'boolean' },
      },
      usage,
    );
    const parallel = Number(values.parallel);
    if (!(Number.isInteger(parallel) && parallel >= 1 && parallel <= 8))
      throw new CliError(`--parallel must be an integer in 1..8, got "${values.parallel}"`, 2);
    const config = await commandConfig();
    if (values.list) {
      // The kit runner learns each link's promise from what its caller reports once started.
      const kit = config.chaos.runner === 'kit';
      for (const cell of faultSpace(config))
        console.log(
          `${cell.id.padEnd(28)} ${
            cell.oracles.length > 0
              ? `oracles: ${cell.oracles.join(', ')}`
              : kit && cell.link !== undefined
                ? "oracles of the caller's reported policy, invariants, response rules, recovery"
                : 'invariants, response rules, recovery'
          }`,
        );
      return 0;
    }
    if (!config.explore)
      throw new CliError(`${config.file}: explore is not set (the workload and timing every run drives)`, 2);
    const whole = (raw: string | undefined, flag: string): number | undefined => {
      if (raw === undefined) return undefined;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < 1)
        throw new CliError(`${flag} must be a positive whole number, got "${raw}"`, 2);
      return value;
    };
    let timeBudgetMs: number | undefined;
    if (values.time !== undefined) {
      try {
        timeBudgetMs = durationSeconds(values.time) * 1000;
      } catch (error) {
        throw new CliError(`--time: ${(error as Error).message}`, 2);
      }
    }
    const ci = values.ci ? config.explore.ci : undefined;
    if (values.ci && !ci) throw new CliError(`${config.file}: explore.ci is not set (the cells --ci runs)`, 2);
    if (values.ci && values.only !== undefined) throw new CliError('--ci and --only cannot be combined', 2);
    const maxRuns = whole(values['max-runs'], '--max-runs') ?? ci?.maxRuns;
    const seed = whole(values.seed, '--seed');
    const only =
      ci?.only ??
      values.only
        ?.split(',')
        .map((item) => item.trim())
        .filter(Boolean) ??
      [];
    let result;
    try {
      result = await withInterrupt('explore', (signal) =>
        runExplore(config, {
          signal,
          only,
          ...(maxRuns === undefined ? {} : { maxRuns }),
          ...(timeBudgetMs === undefined ? {} : { timeBudgetMs }),
          ...(seed === undefined ? {} : { seed }),
          parallel,
          ...(values.pairs || ci?.pairs ? { pairs: true } : {}),
          ...(values['reports-dir'] === undefined ? {} : { reportsDir: path.resolve(values['reports-dir']) }),
        }),
      );
    } catch (error) {
      if (error instanceof Error && /^no cell matches/.test(error.message)) throw new CliError(error.message, 2);
      throw error;
    }
    const { summary, cells, pairs, pairsPruned, durationMs, perRunMs, notRun } = result.matrix;
    const runs = cells.length + pairs.length;
    const line = `${runs} runs${pairs.length > 0 || pairsPruned > 0 ? ` (${pairs.length} pairs, ${pairsPruned} pruned)` : ''}: ${summary.survived} survived, ${summary.violated} violated, ${summary.vacuous} vacuous, ${summary.error} errors in ${(durationMs / 1000).toFixed(0)} s (${(perRunMs / 1000).toFixed(1)} s per run)${notRun.length > 0 ? `; ${notRun.length} not run (--max-runs or --time)` : ''}`;
    console.log(result.exitCode === 0 ? green(`explore: ${line}`) : red(`explore: ${line}`));
    for (const cell of [...cells, ...pairs].filter((one) => one.verdict === 'violated'))
      console.log(
        `  violated ${cell.id}: ${cell.failed[0] ?? ''}\n    replay: ${path.join(result.reportDir, cell.replay ?? '')}`,
      );
    console.log(`matrix: ${path.join(result.reportDir, 'matrix.html')}`);
    return result.exitCode;
  },
};
