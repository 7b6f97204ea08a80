import fs from 'node:fs';
import path from 'node:path';
import { bench } from './commands/bench.ts';
import { chaos } from './commands/chaos.ts';
import { contracts } from './commands/contracts.ts';
import { doctor } from './commands/doctor.ts';
import { init } from './commands/init.ts';
import { down } from './commands/down.ts';
import { status } from './commands/status.ts';
import { test } from './commands/test.ts';
import { up } from './commands/up.ts';
import { e2e } from './commands/e2e.ts';
import { explore } from './commands/explore.ts';
import { fuzz } from './commands/fuzz.ts';
import { mutate } from './commands/mutate.ts';
import { report } from './commands/report.ts';
import { load } from './commands/load.ts';
import type { Command } from './command.ts';
import { CliError } from './output.ts';

export const commands: Record<string, Command> = {
  init,
  doctor,
  up,
  status,
  down,
  test,
  contracts,
  chaos,
  load,
  bench,
  e2e,
  fuzz,
  explore,
  mutate,
  report,
};

function help(): string {
  const lines = ['usage: harness <command> [options]', '', 'commands:'];
  for (const [name, command] of Object.entries(commands)) lines.push(`  ${name.padEnd(10)} ${command.summary}`);
  lines.push(
    '',
    'options for every command:',
    '  --config FILE  the system to work on (default: HARNESS_CONFIG, else the nearest harness.config.ts)',
    '',
    'Run `harness <command> --help` for the options of one command.',
  );
  return lines.join('\n');
}

/**
 * `--config FILE` (before or after the command) picks the system for every command; it is passed on
 * as HARNESS_CONFIG so the background supervisor and every stage a command runs see the same one.
 */
export function takeConfigOption(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--config' || arg.startsWith('--config=')) {
      const value = arg === '--config' ? argv[++i] : arg.slice('--config='.length);
      if (value === undefined || value === '' || value.startsWith('--'))
        throw new CliError('--config needs a file: --config path/to/harness.config.ts', 2);
      if (!fs.existsSync(value)) throw new CliError(`--config ${value}: no such file`, 1);
      env.HARNESS_CONFIG = path.resolve(value);
      continue;
    }
    rest.push(arg);
  }
  return rest;
}

export async function main(argv: string[]): Promise<number> {
  let args: string[];
  try {
    args = takeConfigOption(argv);
  } catch (error) {
    console.error(
      `harness${argv.find((arg) => commands[arg]) ? ` ${argv.find((arg) => commands[arg])}` : ''}: ${(error as Error).message}`,
    );
    return error instanceof CliError ? error.exitCode : 2;
  }
  const [name, ...rest] = args;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`harness: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`${command.usage}\n\n${command.summary}`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof CliError) {
      console.error(`harness ${name}: ${error.message}`);
      return error.exitCode;
    }
    console.error(`harness ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
