import pg from 'pg';
import type { Logger } from '../observability/logger.ts';
import { tracesRecorded } from '../observability/tracing.ts';
import { traceQueries } from './traceQueries.ts';

export type Pool = pg.Pool;
/** A client inside a transaction (what `withTransaction` hands its callback). */
export type Transaction = pg.PoolClient;
/** Anything that runs parameterised SQL: the pool or a transaction. */
export type Queryable = Pick<pg.Pool, 'query'>;

export interface PoolOptions {
  max?: number;
  /** Shows in pg_stat_activity; lets tests and operators find a service's sessions. */
  applicationName?: string;
  /** How long to wait for a connection (new or from the pool) before failing. Default 5000. */
  connectionTimeoutMillis?: number;
  /**
   * Client-side: a query without an answer for this long fails with "Query read timeout" and its
   * connection is discarded (a blackholed proxy cannot hold a pool slot for ever). Default 5000;
   * 0 turns it off.
   */
  queryTimeoutMs?: number;
  /**
   * Server-side `statement_timeout`: PostgreSQL cancels a statement running longer (SQLSTATE
   * 57014; the connection stays usable), so a query the client gave up on does not keep running
   * and holding locks. Default: `queryTimeoutMs`; 0 turns it off.
   */
  statementTimeoutMs?: number;
  /** Server-side `idle_in_transaction_session_timeout`. Default off. */
  idleInTransactionTimeoutMs?: number;
  /** How long an idle connection stays in the pool. Default 10000 (pg's). */
  idleTimeoutMillis?: number;
  logger?: Logger;
}

export const DEFAULT_QUERY_TIMEOUT_MS = 5_000;

/**
 * A PostgreSQL pool with query and statement timeouts. Errors of idle clients (the server
 * restarted, a proxy cut the connection) are logged instead of crashing the process; the pool
 * replaces those clients. Use `withClient` / `withTransaction` for checked-out clients: they
 * discard a connection that failed or timed out instead of returning it to the pool. When spans
 * are exported, each query inside a recorded span is a span of its own (traceQueries.ts).
 */
export function createPool(url: string, options: PoolOptions = {}): Pool {
  const queryTimeoutMs = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const statementTimeoutMs = options.statementTimeoutMs ?? queryTimeoutMs;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    ...(options.idleTimeoutMillis === undefined ? {} : { idleTimeoutMillis: options.idleTimeoutMillis }),
    ...(queryTimeoutMs > 0 ? { query_timeout: queryTimeoutMs } : {}),
    ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}),
    ...(options.idleInTransactionTimeoutMs
      ? { idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs }
      : {}),
    ...(options.applicationName === undefined ? {} : { application_name: options.applicationName }),
  });
  pool.on('error', (error) => options.logger?.warn({ err: error }, 'idle PostgreSQL client failed'));
  // Spans per query only when spans go somewhere (see exportTraces); otherwise not a wrapper more.
  return tracesRecorded() ? traceQueries(pool) : pool;
}
