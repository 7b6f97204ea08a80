import { brokerSettings, databaseSettings, serviceSettings, serviceTokenSetting, type ConfigOf } from '@harness/kit';
import type { SagaSettings } from './saga/sagaSettings.ts';

const int = (defaultValue: number, minimum = 0) => ({ type: 'integer', default: defaultValue, minimum }) as const;

/** The order service's environment: what the harness gives every service, plus tuning knobs. */
export const orderConfigSchema = {
  type: 'object',
  properties: {
    ...serviceSettings('order'),
    ...serviceTokenSetting(8),
    ...databaseSettings({ poolMax: 20, connectTimeoutMs: 5_000 }),
    ...brokerSettings,
    INVENTORY_URL: { type: 'string', minLength: 1 },
    PAYMENT_URL: { type: 'string', minLength: 1 },
    // The saga and its recovery worker.
    ORDER_REQUEST_BUDGET_MS: int(2_500, 1),
    SAGA_RECOVERY_INTERVAL_MS: int(1_000, 10),
    SAGA_RECOVERY_BATCH: int(20, 1),
    SAGA_MAX_ATTEMPTS: int(5, 1),
    SAGA_DEADLINE_MS: int(30_000, 100),
    SAGA_LEASE_MS: int(10_000, 100),
    SAGA_RETRY_BASE_MS: int(1_000, 1),
    SAGA_RETRY_MAX_MS: int(8_000, 1),
    SAGA_AUDIT_DELAY_MS: int(10_000, 0),
    SAGA_AUDIT_MAX_ATTEMPTS: int(20, 1),
    PRODUCT_CACHE_TTL_MS: int(5_000, 0),
    OUTBOX_POLL_INTERVAL_MS: int(200, 10),
    // Resilience per dependency (see resilience.ts).
    INVENTORY_TIMEOUT_MS: int(800, 1),
    INVENTORY_RETRY_ATTEMPTS: int(3, 1),
    INVENTORY_BREAKER_THRESHOLD: int(5, 1),
    INVENTORY_BREAKER_HALF_OPEN_MS: int(5_000, 1),
    INVENTORY_BULKHEAD_LIMIT: int(50, 1),
    INVENTORY_BULKHEAD_QUEUE: int(50, 0),
    PAYMENT_TIMEOUT_MS: int(1_500, 1),
    PAYMENT_RETRY_ATTEMPTS: int(3, 1),
    PAYMENT_BREAKER_THRESHOLD: int(5, 1),
    PAYMENT_BREAKER_HALF_OPEN_MS: int(5_000, 1),
    PAYMENT_BULKHEAD_LIMIT: int(50, 1),
    PAYMENT_BULKHEAD_QUEUE: int(50, 0),
  },
  required: ['PORT', 'SERVICE_TOKEN', 'DATABASE_URL', 'BROKER', 'INVENTORY_URL', 'PAYMENT_URL'],
} as const;

export type OrderConfig = ConfigOf<typeof orderConfigSchema>;

export function sagaSettingsOf(config: OrderConfig): SagaSettings {
  return {
    requestBudgetMs: config.ORDER_REQUEST_BUDGET_MS,
    leaseMs: config.SAGA_LEASE_MS,
    maxAttempts: config.SAGA_MAX_ATTEMPTS,
    deadlineMs: config.SAGA_DEADLINE_MS,
    retryBaseMs: config.SAGA_RETRY_BASE_MS,
    retryMaxMs: config.SAGA_RETRY_MAX_MS,
    auditDelayMs: config.SAGA_AUDIT_DELAY_MS,
    auditMaxAttempts: config.SAGA_AUDIT_MAX_ATTEMPTS,
    recoveryIntervalMs: config.SAGA_RECOVERY_INTERVAL_MS,
    recoveryBatchSize: config.SAGA_RECOVERY_BATCH,
  };
}
