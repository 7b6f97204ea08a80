import {
  brokerSettings,
  consumerSettings,
  databaseSettings,
  loadConfig,
  serviceSettings,
  serviceTokenSetting,
  type ConfigOf,
} from '@harness/kit';

/** The environment of the inventory service (see the README for each variable). */
export const inventoryConfigSchema = {
  type: 'object',
  properties: {
    ...serviceSettings('inventory'),
    ...serviceTokenSetting(),
    ...databaseSettings({ poolMax: 16 }),
    ...brokerSettings,
    /** Retry-After (seconds) of a 503 answered while the database is unavailable. */
    DB_UNAVAILABLE_RETRY_AFTER_S: { type: 'integer', minimum: 0, default: 1 },
    /** Port of the gRPC server (StockLevelService, link L11); absent: no gRPC server. */
    GRPC_PORT: { type: 'integer', minimum: 0, maximum: 65_535 },
    /** Largest gRPC request message; a larger one is answered RESOURCE_EXHAUSTED. */
    GRPC_MAX_MESSAGE_BYTES: { type: 'integer', minimum: 1_024, default: 65_536 },
    CATALOG_STOCK: { type: 'integer', minimum: 0, default: 10_000 },
    CATALOG_BULK_STOCK: { type: 'integer', minimum: 0, maximum: 2_000_000_000, default: 10_000_000 },
    CATALOG_SCARCE_STOCK: { type: 'integer', minimum: 0, default: 3 },
    ...consumerSettings,
  },
  required: ['PORT', 'SERVICE_TOKEN', 'DATABASE_URL', 'BROKER'],
} as const;

export type InventoryConfig = ConfigOf<typeof inventoryConfigSchema>;

export function loadInventoryConfig(env: Readonly<Record<string, string | undefined>>): InventoryConfig {
  return loadConfig(inventoryConfigSchema, env);
}
