import { execFileSync } from 'node:child_process';

function gitOutput(repo: string, args: string[]): string | undefined {
  try {
    return (
      execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() ||
      undefined
    );
  } catch {
    return undefined;
  }
}

/** The version and branch results and pacts are published under: env first, then git. */
export function pacticipantVersion(
  repo: string,
  env: NodeJS.ProcessEnv = process.env,
): { version: string; branch?: string } {
  const version =
    env['PACT_PACTICIPANT_VERSION'] ?? env['GITHUB_SHA'] ?? gitOutput(repo, ['rev-parse', 'HEAD']) ?? 'unknown';
  const branch =
    env['PACT_PACTICIPANT_BRANCH'] ??
    (env['GITHUB_HEAD_REF'] || undefined) ??
    env['GITHUB_REF_NAME'] ??
    gitOutput(repo, ['rev-parse', '--abbrev-ref', 'HEAD']);
  return branch && branch !== 'HEAD' ? { version, branch } : { version };
}
