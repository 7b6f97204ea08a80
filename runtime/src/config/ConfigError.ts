import path from 'node:path';

/** One problem in a config: where in the config (e.g. `links[1].to`) and what was expected. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/**
 * A config that cannot be used. Its message names the file, the path inside the config and what
 * was expected, one line per problem, and never carries a stack trace to the user.
 */
export class ConfigError extends Error {
  readonly file: string;
  readonly issues: readonly ConfigIssue[];

  constructor(file: string, issues: readonly ConfigIssue[]) {
    const shown = path.isAbsolute(file) ? path.relative(process.cwd(), file) || file : file;
    const line = (issue: ConfigIssue): string => (issue.path ? `${issue.path}: ${issue.message}` : issue.message);
    const first = issues[0];
    super(
      issues.length === 1 && first
        ? `${shown}: ${line(first)}`
        : `${shown}: ${issues.length} problems\n${issues.map((issue) => `  ${line(issue)}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.file = file;
    this.issues = issues;
  }
}

export const isConfigError = (error: unknown): error is ConfigError => error instanceof ConfigError;
