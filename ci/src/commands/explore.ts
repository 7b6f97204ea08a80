import path from 'node:path';
import { faultSpace, runExplore } from '@harness/chaos';
import type { Command } from '../command.ts';
import { commandConfig } from '../commandConfig.ts';
import { durationSeconds } from '../load/duration.ts';
import { CliError, green, parseOptions, red } from '../output.ts';

const usage = [
  'harness explore [--config FILE] [--only ROW|CLASS|CELL,...] [--max-runs N] [--time DURATION] [--seed N] [--reports-dir DIR] [--list]',
  '',
  "Explores the fault space of the config's system, one fault per run: per HTTP link latency past",
  "the caller's timeout, refused, reset, black hole, slow bandwidth, 503 from the tap and the answer",
  'cut mid-body; per database connection refused and slow; per broker connection refused; every',
  "service killed. Each run drives the config's explore.workload and is judged by the link's",
  'black-box oracles (the promise the fault tests), the invariants and recovery. Starts its own',
  'system. Writes the resilience coverage matrix to reports/systems/<name>/explore/ (matrix.json,',
  'matrix.html, junit.xml) and, per violated cell, a scenario file `harness chaos` replays',
  '(replay/<id>.scenario.ts). Exits 1 when a cell was violated or could not run.',
  '  --only      rows (link ids, services), fault classes or cells ("P1 latency"), comma-separated',
  '  --max-runs  at most this many runs; --time: start no run after this long (e.g. 10m)',
  '  --seed      seeds Toxiproxy and the request-level faults (default 1): same seed, same faults',
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
        seed: { type: 'string' },
        'reports-dir': { type: 'string' },
        list: { type: 'boolean' },
      },
      usage,
    );
    const config = await commandConfig();
    if (values.list) {
      for (const cell of faultSpace(config))
        console.log(
          `${cell.id.padEnd(28)} ${cell.oracles.length > 0 ? `oracles: ${cell.oracles.join(', ')}` : 'invariants, recovery'}`,
        );
      return 0;
    }
    if (!config.explore)
      throw new CliError(`${config.file}: explore.workload is not set (the requests every run drives)`, 2);
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
    const maxRuns = whole(values['max-runs'], '--max-runs');
    const seed = whole(values.seed, '--seed');
    const only =
      values.only
        ?.split(',')
        .map((item) => item.trim())
        .filter(Boolean) ?? [];
    let result;
    try {
      result = await runExplore(config, {
        only,
        ...(maxRuns === undefined ? {} : { maxRuns }),
        ...(timeBudgetMs === undefined ? {} : { timeBudgetMs }),
        ...(seed === undefined ? {} : { seed }),
        ...(values['reports-dir'] === undefined ? {} : { reportsDir: path.resolve(values['reports-dir']) }),
      });
    } catch (error) {
      if (error instanceof Error && /^no cell matches/.test(error.message)) throw new CliError(error.message, 2);
      throw error;
    }
    const { summary, cells, durationMs, perRunMs, notRun } = result.matrix;
    const line = `${cells.length} runs: ${summary.survived} survived, ${summary.violated} violated, ${summary.vacuous} vacuous, ${summary.error} errors in ${(durationMs / 1000).toFixed(0)} s (${(perRunMs / 1000).toFixed(1)} s per run)${notRun.length > 0 ? `; ${notRun.length} not run (time budget)` : ''}`;
    console.log(result.exitCode === 0 ? green(`explore: ${line}`) : red(`explore: ${line}`));
    for (const cell of cells.filter((one) => one.verdict === 'violated'))
      console.log(
        `  violated ${cell.id}: ${cell.failed[0] ?? ''}\n    replay: ${path.join(result.reportDir, cell.replay ?? '')}`,
      );
    console.log(`matrix: ${path.join(result.reportDir, 'matrix.html')}`);
    return result.exitCode;
  },
};
