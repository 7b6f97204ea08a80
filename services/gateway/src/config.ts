import {
  brokerSettings,
  consumerSettings,
  databaseSettings,
  loadConfig,
  portSetting,
  serviceSettings,
  serviceTokenSetting,
  type ConfigOf,
} from '@harness/kit';

const int = (defaultValue: number, minimum = 0) => ({ type: 'integer', default: defaultValue, minimum }) as const;

/** Environment of the gateway (validated in main.ts; everything else gets typed values). */
export const gatewayConfigSchema = {
  type: 'object',
  properties: {
    ...serviceSettings('gateway'),
    PORT: { ...portSetting, default: 8080 },
    ...serviceTokenSetting(),
    ORDER_URL: { type: 'string', format: 'uri' },
    INVENTORY_URL: { type: 'string', format: 'uri' },
    NOTIFICATION_URL: { type: 'string', format: 'uri' },
    /** host:port of inventory's gRPC server (link L11); unset: the order view has no `stock`. */
    INVENTORY_GRPC_ADDRESS: { type: 'string', pattern: '^[^\\s/:]+:[0-9]{1,5}$' },
    /** JSON `[{ id, key, scopes }]`; parsed and checked by parseApiKeys. */
    API_KEYS: { type: 'string', minLength: 2 },
    /** Origin(s) of the storefront allowed by CORS, comma-separated. Unset: no CORS headers. */
    CORS_ORIGIN: { type: 'string' },
    RATE_LIMIT_RPS: { type: 'number', minimum: 0.001, default: 1_000 },
    RATE_LIMIT_BURST: { type: 'integer', minimum: 1, default: 2_000 },
    BODY_LIMIT_BYTES: { type: 'integer', minimum: 256, default: 16_384 },
    /** /api/graphql: deepest field nesting, and highest cost (1 per selected field) of an operation. */
    GRAPHQL_MAX_DEPTH: int(8, 1),
    GRAPHQL_MAX_COMPLEXITY: int(200, 1),
    // The order history read model (CQRS): its own database and a consumer of the order events.
    // Without DATABASE_URL and AMQP_URL the gateway runs without it (GET /orders answers 503).
    ...databaseSettings({ poolMax: 5, connectTimeoutMs: 3_000 }),
    ...brokerSettings,
    ...consumerSettings,
    /** Above this lag the read model's answers say `stale: true`. */
    READ_MODEL_STALE_AFTER_MS: int(5_000, 0),
    /** How often the read model's backlog is asked. */
    READ_MODEL_LAG_CHECK_MS: int(1_000, 50),
    // Resilience per dependency (see resilience.ts): per-attempt timeout, attempts including the
    // first, consecutive failures that open the breaker, open → half-open, bulkhead limit and queue.
    ORDER_TIMEOUT_MS: int(10_000, 1),
    ORDER_RETRY_ATTEMPTS: int(2, 1),
    ORDER_BREAKER_THRESHOLD: int(10, 1),
    ORDER_BREAKER_HALF_OPEN_MS: int(5_000, 1),
    // The order bulkhead is the gateway's admission limit: beyond 64 calls and 64 waiting a checkout
    // is refused at once (503) instead of queueing until it times out and wasting the work downstream.
    ORDER_BULKHEAD_LIMIT: int(64, 1),
    ORDER_BULKHEAD_QUEUE: int(64, 0),
    INVENTORY_TIMEOUT_MS: int(1_500, 1),
    INVENTORY_RETRY_ATTEMPTS: int(2, 1),
    INVENTORY_BREAKER_THRESHOLD: int(5, 1),
    INVENTORY_BREAKER_HALF_OPEN_MS: int(5_000, 1),
    INVENTORY_BULKHEAD_LIMIT: int(128, 1),
    INVENTORY_BULKHEAD_QUEUE: int(256, 0),
    STOCK_DEADLINE_MS: int(300, 1),
    STOCK_RETRY_ATTEMPTS: int(2, 1),
    STOCK_BREAKER_THRESHOLD: int(5, 1),
    STOCK_BREAKER_HALF_OPEN_MS: int(5_000, 1),
    STOCK_BULKHEAD_LIMIT: int(128, 1),
    STOCK_BULKHEAD_QUEUE: int(256, 0),
    NOTIFICATION_TIMEOUT_MS: int(300, 1),
    NOTIFICATION_RETRY_ATTEMPTS: int(1, 1),
    NOTIFICATION_BREAKER_THRESHOLD: int(5, 1),
    NOTIFICATION_BREAKER_HALF_OPEN_MS: int(5_000, 1),
    NOTIFICATION_BULKHEAD_LIMIT: int(128, 1),
    NOTIFICATION_BULKHEAD_QUEUE: int(256, 0),
  },
  required: ['SERVICE_TOKEN', 'ORDER_URL', 'INVENTORY_URL', 'NOTIFICATION_URL', 'API_KEYS'],
} as const;

export type GatewayConfig = ConfigOf<typeof gatewayConfigSchema>;

export function loadGatewayConfig(env: Readonly<Record<string, string | undefined>>): GatewayConfig {
  return loadConfig(gatewayConfigSchema, env);
}
