import { loadConfig, type ConfigOf } from '@harness/kit';

/** The environment of the inventory service (see the report / README for each variable). */
export const inventoryConfigSchema = {
  type: 'object',
  properties: {
    SERVICE_NAME: { type: 'string', default: 'inventory' },
    HOST: { type: 'string', default: '127.0.0.1' },
    PORT: { type: 'integer', minimum: 0, maximum: 65535 },
    SERVICE_TOKEN: { type: 'string', minLength: 1 },
    LOG_LEVEL: {
      type: 'string',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
    },
    /** Fastify's two per-request log lines at info ("incoming request", "request completed"). */
    LOG_REQUESTS: { type: 'boolean', default: true },
    DATABASE_URL: { type: 'string', minLength: 1 },
    AMQP_URL: { type: 'string', minLength: 1 },
    DB_POOL_MAX: { type: 'integer', minimum: 1, maximum: 100, default: 16 },
    /** A query unanswered for this long fails (503) and its connection is replaced. */
    DB_QUERY_TIMEOUT_MS: { type: 'integer', minimum: 100, default: 5_000 },
    DB_CONNECT_TIMEOUT_MS: { type: 'integer', minimum: 100, default: 3_000 },
    /** Retry-After (seconds) of a 503 answered while the database is unavailable. */
    DB_UNAVAILABLE_RETRY_AFTER_S: { type: 'integer', minimum: 0, default: 1 },
    CATALOG_STOCK: { type: 'integer', minimum: 0, default: 10_000 },
    CATALOG_BULK_STOCK: { type: 'integer', minimum: 0, maximum: 2_000_000_000, default: 10_000_000 },
    CATALOG_SCARCE_STOCK: { type: 'integer', minimum: 0, default: 3 },
    CONSUMER_PREFETCH: { type: 'integer', minimum: 1, maximum: 1000, default: 20 },
    CONSUMER_RETRY_DELAY_MS: { type: 'integer', minimum: 1, default: 2_000 },
    CONSUMER_MAX_ATTEMPTS: { type: 'integer', minimum: 1, default: 5 },
  },
  required: ['PORT', 'SERVICE_TOKEN', 'DATABASE_URL', 'AMQP_URL'],
} as const;

export type InventoryConfig = ConfigOf<typeof inventoryConfigSchema>;

export function loadInventoryConfig(env: Readonly<Record<string, string | undefined>>): InventoryConfig {
  return loadConfig(inventoryConfigSchema, env);
}
