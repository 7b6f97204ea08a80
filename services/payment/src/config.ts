import { databaseSettings, loadConfig, serviceSettings, serviceTokenSetting, type ConfigOf } from '@harness/kit';

/** The environment of the payment service (see the README for each variable). */
export const paymentConfigSchema = {
  type: 'object',
  properties: {
    ...serviceSettings('payment'),
    ...serviceTokenSetting(),
    ...databaseSettings({ poolMax: 16 }),
    /** Retry-After (seconds) of a 503 answered while the database is unavailable. */
    DB_UNAVAILABLE_RETRY_AFTER_S: { type: 'integer', minimum: 0, default: 1 },
    /** How long `tok_slow` takes to approve. */
    SLOW_TOKEN_DELAY_MS: { type: 'integer', minimum: 0, default: 5_000 },
    /** How long an in-flight key is protected before a retry may take it over (its holder crashed). */
    IDEMPOTENCY_CLAIM_TTL_MS: { type: 'integer', minimum: 1_000, default: 30_000 },
    /** Retry-After sent with 409 IDEMPOTENCY_CONFLICT. */
    IDEMPOTENCY_CONFLICT_RETRY_AFTER_S: { type: 'integer', minimum: 0, default: 1 },
    /** How long a completed key's record (and stored response) is kept before it is purged. */
    PAYMENT_IDEMPOTENCY_RETENTION_HOURS: { type: 'integer', minimum: 1, default: 24 },
    /** Time between two purges of expired keys. */
    PAYMENT_IDEMPOTENCY_PURGE_INTERVAL_MS: { type: 'integer', minimum: 1_000, default: 600_000 },
    /** Keys deleted per statement of a purge. */
    PAYMENT_IDEMPOTENCY_PURGE_BATCH: { type: 'integer', minimum: 1, maximum: 10_000, default: 500 },
  },
  required: ['PORT', 'SERVICE_TOKEN', 'DATABASE_URL'],
} as const;

export type PaymentConfig = ConfigOf<typeof paymentConfigSchema>;

export function loadPaymentConfig(env: Readonly<Record<string, string | undefined>>): PaymentConfig {
  const config = loadConfig(paymentConfigSchema, env);
  if (config.IDEMPOTENCY_CLAIM_TTL_MS <= config.SLOW_TOKEN_DELAY_MS) {
    // A claim must outlive the slowest authorisation, or a retry could take over a live request.
    throw new Error('IDEMPOTENCY_CLAIM_TTL_MS must be greater than SLOW_TOKEN_DELAY_MS');
  }
  return config;
}
