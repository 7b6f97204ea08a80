/**
 * The `harness` CLI with the load and bench commands registered, for running them before they
 * are wired into ci/src/cli.ts: `node load/scripts/harness.ts load smoke`.
 */
import { commands, main } from '../../ci/src/cli.ts';
import { bench } from '../../ci/src/commands/bench.ts';
import { load } from '../../ci/src/commands/load.ts';

commands.load ??= load;
commands.bench ??= bench;
process.exitCode = await main(process.argv.slice(2));
