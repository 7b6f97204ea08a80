import type { Command } from '../command.ts';
import { runStages } from '../stages.ts';

export const test: Command = {
  summary: "the full test run (the README's test command): codegen check, typecheck, lint, tests",
  usage: 'harness test [--only STAGE,...] [--with containers]',
  run: (args) => runStages(args),
};
