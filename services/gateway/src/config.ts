import { loadConfig, type ConfigOf } from '@harness/kit';

/** Environment of the gateway (validated in main.ts; everything else gets typed values). */
export const gatewayConfigSchema = {
  type: 'object',
  properties: {
    SERVICE_NAME: { type: 'string', default: 'gateway' },
    HOST: { type: 'string', default: '127.0.0.1' },
    PORT: { type: 'integer', minimum: 0, maximum: 65_535, default: 8080 },
    LOG_LEVEL: {
      type: 'string',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
    },
    /** Fastify's two per-request log lines at info ("incoming request", "request completed"). */
    LOG_REQUESTS: { type: 'boolean', default: true },
    SERVICE_TOKEN: { type: 'string', minLength: 1 },
    ORDER_URL: { type: 'string', format: 'uri' },
    INVENTORY_URL: { type: 'string', format: 'uri' },
    NOTIFICATION_URL: { type: 'string', format: 'uri' },
    /** JSON `[{ id, key, scopes }]`; parsed and checked by parseApiKeys. */
    API_KEYS: { type: 'string', minLength: 2 },
    /** Origin(s) of the storefront allowed by CORS, comma-separated. Unset: no CORS headers. */
    CORS_ORIGIN: { type: 'string' },
    RATE_LIMIT_RPS: { type: 'number', minimum: 0.001, default: 1_000 },
    RATE_LIMIT_BURST: { type: 'integer', minimum: 1, default: 2_000 },
    BODY_LIMIT_BYTES: { type: 'integer', minimum: 256, default: 16_384 },
    /** Per-attempt timeouts of the dependencies (see dependencies.ts for the rest of each policy). */
    ORDER_TIMEOUT_MS: { type: 'integer', minimum: 1, default: 10_000 },
    INVENTORY_TIMEOUT_MS: { type: 'integer', minimum: 1, default: 1_500 },
    NOTIFICATION_TIMEOUT_MS: { type: 'integer', minimum: 1, default: 300 },
  },
  required: ['SERVICE_TOKEN', 'ORDER_URL', 'INVENTORY_URL', 'NOTIFICATION_URL', 'API_KEYS'],
} as const;

export type GatewayConfig = ConfigOf<typeof gatewayConfigSchema>;

export function loadGatewayConfig(env: Readonly<Record<string, string | undefined>>): GatewayConfig {
  return loadConfig(gatewayConfigSchema, env);
}
