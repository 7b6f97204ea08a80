import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { findTool, SETUP_HINT } from '@harness/runtime';
import { CliError } from '../output.ts';

/** A write ceiling of the run's PostgreSQL: pgbench's TPC-B-like transactions per second. */
export interface PostgresCeiling {
  tps: number;
  clients: number;
  seconds: number;
  database: string;
}

function tool(name: string): string {
  const found = findTool(name);
  if (!found) throw new CliError(`${name} is not installed (PostgreSQL client tools). ${SETUP_HINT}`);
  return found;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env: { ...process.env, ...env }, timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file.split('/').pop()} ${args.join(' ')}: ${(stderr || error.message).trim()}`));
      else resolve(stdout);
    });
  });
}

/** The "tps = N (without initial connection time)" line of pgbench's report. */
export function parseTps(output: string): number {
  const match = /tps = ([\d.]+) \(without initial connection time\)/.exec(output) ?? /tps = ([\d.]+)/.exec(output);
  if (!match) throw new Error(`pgbench printed no tps:\n${output}`);
  return Number(match[1]);
}

function connectionEnv(superuserUrl: string): NodeJS.ProcessEnv {
  const url = new URL(superuserUrl);
  return {
    PGHOST: url.hostname,
    PGPORT: url.port || '5432',
    PGUSER: decodeURIComponent(url.username),
    PGPASSWORD: decodeURIComponent(url.password),
  };
}

/**
 * Runs pgbench against a scratch database on the same PostgreSQL (created, initialised at scale
 * 1, benchmarked for `seconds`, dropped), so the service databases are never touched.
 */
export async function measurePostgresCeiling(
  superuserUrl: string,
  options: { seconds?: number; clients?: number } = {},
): Promise<PostgresCeiling> {
  const seconds = options.seconds ?? 5;
  const clients = options.clients ?? 8;
  const env = connectionEnv(superuserUrl);
  const database = `harness_pgbench_${randomBytes(4).toString('hex')}`;
  const pgbench = tool('pgbench');
  await run(tool('createdb'), [database], env, 30_000);
  try {
    await run(pgbench, ['-i', '-s', '1', '-q', database], env, 60_000);
    const output = await run(
      pgbench,
      ['-T', String(seconds), '-c', String(clients), '-j', '2', '-M', 'prepared', '-n', database],
      env,
      (seconds + 60) * 1000,
    );
    return { tps: parseTps(output), clients, seconds, database };
  } finally {
    await run(tool('dropdb'), ['--if-exists', database], env, 30_000).catch(() => undefined);
  }
}
