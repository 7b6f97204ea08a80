import { bench } from './commands/bench.ts';
import { chaos } from './commands/chaos.ts';
import { contracts } from './commands/contracts.ts';
import { doctor } from './commands/doctor.ts';
import { down } from './commands/down.ts';
import { status } from './commands/status.ts';
import { test } from './commands/test.ts';
import { up } from './commands/up.ts';
import { e2e } from './commands/e2e.ts';
import { report } from './commands/report.ts';
import { load } from './commands/load.ts';
import { CliError } from './output.ts';

export interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

export const commands: Record<string, Command> = {
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
  report,
};

function help(): string {
  const lines = ['usage: harness <command> [options]', '', 'commands:'];
  for (const [name, command] of Object.entries(commands)) lines.push(`  ${name.padEnd(10)} ${command.summary}`);
  lines.push('', 'Run `harness <command> --help` for the options of one command.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
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
