import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import type { PostgresServer } from '../local/postgres.ts';
import { LOOPBACK } from '../ports.ts';
import { waitUntil } from '../wait.ts';
import { logToFile } from './containerLogs.ts';
import { publishOnLoopback } from './loopback.ts';

/** PostgreSQL as the rest of the harness sees it, whoever runs it. */
type PostgresEndpoint = Omit<PostgresServer, 'process'>;

export interface PostgresContainerServer extends PostgresEndpoint {
  containerId: string;
}

export interface PostgresContainerOptions {
  image: string;
  labels: Record<string, string>;
  logDir: string;
  startupTimeoutMs?: number;
}

class LoopbackPostgreSqlContainer extends PostgreSqlContainer {
  protected override async beforeContainerCreated(): Promise<void> {
    publishOnLoopback(this.hostConfig);
  }
}

/**
 * A PostgreSQL container (official postgres image contract) published on a loopback port, tuned
 * like the local provider's server, ready when a query through the published port succeeds.
 */
export async function startPostgresContainer(opts: PostgresContainerOptions): Promise<PostgresContainerServer> {
  const password = randomBytes(12).toString('hex');
  const started = await new LoopbackPostgreSqlContainer(opts.image)
    .withUsername('postgres')
    .withPassword(password)
    .withDatabase('postgres')
    .withCommand([
      'postgres',
      ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      ...['-c', 'max_connections=300', '-c', 'shared_buffers=128MB'],
      ...['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.max=1000'],
    ])
    .withSharedMemorySize(256 * 1024 * 1024)
    .withLabels(opts.labels)
    .withLogConsumer(logToFile(opts.logDir, 'postgresql'))
    .withStartupTimeout(opts.startupTimeoutMs ?? 120_000)
    .start();
  const port = started.getPort();
  const url = (database = 'postgres'): string => `postgres://postgres:${password}@${LOOPBACK}:${port}/${database}`;
  const stop = async (): Promise<void> => {
    await started.stop({ remove: true, removeVolumes: true, timeout: 2_000 });
  };
  try {
    await waitUntil('PostgreSQL container', () => canQuery(url()), { timeoutMs: 30_000, intervalMs: 200 });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    host: LOOPBACK,
    port,
    url,
    password,
    containerId: started.getId(),
    stop,
  };
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
