/** One `harness` subcommand: its help line, its usage and what it does (resolves to an exit code). */
export interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}
