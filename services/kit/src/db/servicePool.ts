import type { Logger } from '../observability/logger.ts';
import { createPool, type Pool } from './pool.ts';

/** The settings `databaseSettings` declares, as loaded. */
export interface DatabaseConfig {
  SERVICE_NAME: string;
  DATABASE_URL: string;
  DB_POOL_MAX: number;
  DB_QUERY_TIMEOUT_MS: number;
  DB_CONNECT_TIMEOUT_MS: number;
}

/** A service's pool from its config, named after the service in pg_stat_activity. */
export function createServicePool(config: DatabaseConfig, logger: Logger): Pool {
  return createPool(config.DATABASE_URL, {
    max: config.DB_POOL_MAX,
    applicationName: config.SERVICE_NAME,
    queryTimeoutMs: config.DB_QUERY_TIMEOUT_MS,
    connectionTimeoutMillis: config.DB_CONNECT_TIMEOUT_MS,
    logger,
  });
}
