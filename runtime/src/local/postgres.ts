import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { ManagedProcess } from '../process.ts';
import { assertPortFree, freePort, LOOPBACK } from '../ports.ts';
import { requireTool } from '../tools.ts';
import { chownTree, serverUser } from '../users.ts';
import { waitUntil } from '../wait.ts';

const run = promisify(execFile);

export interface PostgresServer {
  host: string;
  port: number;
  /** Superuser connection URL for the given database (default `postgres`). */
  url(database?: string): string;
  password: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  dir: string;
  logDir: string;
  port?: number;
  readyTimeoutMs?: number;
}

/** initdb in `dir`, then a postgres server on a loopback port, ready when it answers a query. */
export async function startPostgres(opts: PostgresOptions): Promise<PostgresServer> {
  const initdb = requireTool('initdb');
  const postgres = requireTool('postgres');
  const port = opts.port ?? (await freePort());
  if (opts.port !== undefined) await assertPortFree(port, 'PostgreSQL');
  const data = path.join(opts.dir, 'data');
  const sockets = path.join(opts.dir, 'sockets');
  fs.mkdirSync(sockets, { recursive: true });
  fs.chmodSync(opts.dir, 0o755);
  // The server user must be able to reach the data dir through the run dir (mkdtemp makes it 0700).
  fs.chmodSync(path.dirname(opts.dir), 0o755);
  const password = randomBytes(12).toString('hex');
  const pwfile = path.join(opts.dir, 'pwfile');
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  const user = serverUser('postgres');
  chownTree(opts.dir, user);
  const ids = user ? { uid: user.uid, gid: user.gid } : {};
  try {
    await run(
      initdb,
      [
        '-D',
        data,
        '-U',
        'postgres',
        '--pwfile',
        pwfile,
        '-E',
        'UTF8',
        '--locale=C',
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
      ],
      { ...ids, env: { ...process.env, LC_ALL: 'C' } },
    );
  } catch (error) {
    const err = error as { stderr?: string; message: string };
    throw new Error(`initdb failed in ${data}: ${err.stderr?.trim() || err.message}`, { cause: error });
  }
  fs.rmSync(pwfile);
  const proc = new ManagedProcess({
    name: 'postgresql',
    command: postgres,
    args: [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      sockets,
      '-c',
      `listen_addresses=${LOOPBACK}`,
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=300',
      '-c',
      'shared_buffers=128MB',
      // Statement counts per database (so per service): `harness bench` prints the SQL round trips
      // of an order from them. A small table of distinct statements keeps its shared memory small.
      '-c',
      'shared_preload_libraries=pg_stat_statements',
      '-c',
      'pg_stat_statements.max=1000',
    ],
    logFile: path.join(opts.logDir, 'postgresql.log'),
    ...ids,
  });
  const url = (database = 'postgres'): string => `postgres://postgres:${password}@${LOOPBACK}:${port}/${database}`;
  const server: PostgresServer = { host: LOOPBACK, port, url, password, process: proc, stop: () => proc.stop(5_000) };
  try {
    await waitUntil('PostgreSQL', () => canQuery(url()), {
      timeoutMs: opts.readyTimeoutMs ?? 30_000,
      failed: () => proc.exitReason(),
    });
  } catch (error) {
    await proc.stop(1_000);
    throw error;
  }
  return server;
}

async function canQuery(connectionString: string): Promise<boolean> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}
