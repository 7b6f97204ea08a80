import pg from 'pg';
import type { Logger } from '../observability/logger.ts';

export type Pool = pg.Pool;
/** A client inside a transaction (what `withTransaction` hands its callback). */
export type Transaction = pg.PoolClient;
/** Anything that runs parameterised SQL: the pool or a transaction. */
export type Queryable = Pick<pg.Pool, 'query'>;

export interface PoolOptions {
  max?: number;
  /** Shows in pg_stat_activity; lets tests and operators find a service's sessions. */
  applicationName?: string;
  connectionTimeoutMillis?: number;
  logger?: Logger;
}

/**
 * A PostgreSQL pool. Errors of idle clients (the server restarted, a proxy cut the connection)
 * are logged instead of crashing the process; the pool replaces those clients.
 */
export function createPool(url: string, options: PoolOptions = {}): Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    ...(options.applicationName === undefined ? {} : { application_name: options.applicationName }),
  });
  pool.on('error', (error) => options.logger?.warn({ err: error }, 'idle PostgreSQL client failed'));
  return pool;
}
