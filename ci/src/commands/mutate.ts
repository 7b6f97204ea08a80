import path from 'node:path';
import { runMutate } from '@harness/chaos';
import type { Command } from '../command.ts';
import { withInterrupt } from '../interrupt.ts';
import { commandConfig } from '../commandConfig.ts';
import { CliError, green, parseOptions, red } from '../output.ts';

const usage = [
  'harness mutate [--config FILE] [--mutant NAME,...] [--stage chaos|explore] [--no-baseline] [--seed N] [--parallel N] [--reports-dir DIR]',
  '',
  "Measures what the chaos suite can catch. Runs the config's chaos suite once on the system as it",
  'is (the baseline, which must pass), then once per mutant the config declares in mutate.mutants:',
  'env overrides per service that turn one resilience mechanism off or wrong (a breaker that never',
  'opens, no retries, an unbounded bulkhead, …), each against its `scenarios` (default: the chaos',
  'CI profile). A mutant is killed when the suite fails. Prints the mutation score (killed / total)',
  'and, per mutant, what killed it; writes score.json and junit.xml under reports/mutate/ (another',
  'system: reports/systems/<name>/mutate/). Exits 1 when a mutant survived or the baseline failed.',
  "  --stage explore  run the exploration instead (explore.ci's cells, else every cell; no pairs):",
  '                   a mutant is killed when a cell is violated',
  '  --parallel N     N mutants side by side (default 1, at most 8), each on a system of its own as always;',
  "                   each mutant's output is printed as one block when it ends",
].join('\n');

export const mutate: Command = {
  summary: 'run the chaos suite against each declared mutant and print the mutation score',
  usage,
  async run(args) {
    const { values } = parseOptions(
      args,
      {
        mutant: { type: 'string' },
        'no-baseline': { type: 'boolean' },
        stage: { type: 'string' },
        seed: { type: 'string' },
        parallel: { type: 'string', default: '1' },
        'reports-dir': { type: 'string' },
      },
      usage,
    );
    const config = await commandConfig();
    if (config.mutants.length === 0)
      throw new CliError(`${config.file}: mutate.mutants declares no mutant (see the README's "Mutants")`, 2);
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    if (seed !== undefined && !(Number.isInteger(seed) && seed >= 1))
      throw new CliError(`--seed must be a positive whole number, got "${values.seed}"`, 2);
    const parallel = Number(values.parallel);
    if (!(Number.isInteger(parallel) && parallel >= 1 && parallel <= 8))
      throw new CliError(`--parallel must be an integer in 1..8, got "${values.parallel}"`, 2);
    const names = values.mutant
      ?.split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    const known = config.mutants.map((mutant) => mutant.name);
    const unknown = (names ?? []).filter((name) => !known.includes(name));
    if (unknown.length > 0) throw new CliError(`unknown mutant ${unknown.join(', ')}; mutants: ${known.join(', ')}`, 2);
    const stage = values.stage ?? 'chaos';
    if (stage !== 'chaos' && stage !== 'explore')
      throw new CliError(`--stage must be chaos or explore, got "${values.stage}"`, 2);
    if (stage === 'explore' && !config.explore)
      throw new CliError(`${config.file}: explore is not set (the workload the exploration drives)`, 2);
    const result = await withInterrupt('mutate', (signal) =>
      runMutate(config, {
        signal,
        stage,
        ...(names ? { mutants: names } : {}),
        skipBaseline: values['no-baseline'] === true,
        parallel,
        ...(seed === undefined ? {} : { seed }),
        ...(values['reports-dir'] === undefined ? {} : { reportsDir: path.resolve(values['reports-dir']) }),
      }),
    );
    const { score } = result;
    const line = `mutation score ${score.killed}/${score.total} against ${score.stage} (${Math.round(score.score * 100)} %), baseline ${score.baseline}, ${(score.durationMs / 1000).toFixed(0)} s`;
    console.log(result.exitCode === 0 ? green(`mutate: ${line}`) : red(`mutate: ${line}`));
    for (const mutant of score.mutants)
      console.log(`  ${mutant.killed ? 'killed  ' : 'SURVIVED'} ${mutant.name.padEnd(20)} ${mutant.by[0] ?? ''}`);
    console.log(`score: ${path.join(result.reportDir, 'score.json')}`);
    return result.exitCode;
  },
};
