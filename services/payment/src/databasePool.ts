import { createPool, type Logger, type Pool } from '@harness/kit';

export interface DatabasePoolOptions {
  max: number;
  applicationName: string;
  /** A query without an answer for this long fails and its connection is discarded. */
  queryTimeoutMs: number;
  connectionTimeoutMs: number;
  logger: Logger;
}

/**
 * The kit's pool plus a client-side query timeout, so that a hung connection (a blackholed
 * database proxy) fails its query and is replaced instead of holding a pool slot for ever.
 */
export function createDatabasePool(url: string, options: DatabasePoolOptions): Pool {
  const pool = createPool(url, {
    max: options.max,
    applicationName: options.applicationName,
    connectionTimeoutMillis: options.connectionTimeoutMs,
    logger: options.logger,
  });
  // pg-pool builds every client from `pool.options`; the kit's createPool has no query timeout.
  pool.options.query_timeout = options.queryTimeoutMs;
  return pool;
}
