export interface ConfigProblem {
  /** The environment variable at fault. */
  variable: string;
  message: string;
}

/** Thrown by `loadConfig` with every bad or missing variable, so one start shows them all. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(`Invalid configuration: ${problems.map((p) => `${p.variable} ${p.message}`).join('; ')}`);
    this.problems = problems;
  }
}
