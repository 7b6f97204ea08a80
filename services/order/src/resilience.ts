import type { ResilienceSettingsInput } from '@harness/kit';
import type { OrderConfig } from './config.ts';

/**
 * Resilience of the order service's two dependencies, in one place. Every call we make is safe
 * to retry: reservations are PUT (idempotent by order id), charges and refunds carry an
 * Idempotency-Key, releases are idempotent. Timeouts are per attempt; the request budget
 * (ORDER_REQUEST_BUDGET_MS) bounds what a client waits for, not what the saga may take.
 */
export function resilienceSettings(config: OrderConfig): {
  inventory: ResilienceSettingsInput;
  payment: ResilienceSettingsInput;
} {
  return {
    inventory: {
      timeoutMs: config.INVENTORY_TIMEOUT_MS,
      retry: {
        maxAttempts: config.INVENTORY_RETRY_ATTEMPTS,
        initialDelayMs: 50,
        maxDelayMs: 500,
        maxRetryAfterMs: 1_000,
      },
      breaker: {
        threshold: config.INVENTORY_BREAKER_THRESHOLD,
        halfOpenAfterMs: config.INVENTORY_BREAKER_HALF_OPEN_MS,
      },
      bulkhead: { limit: config.INVENTORY_BULKHEAD_LIMIT, queue: config.INVENTORY_BULKHEAD_QUEUE },
    },
    payment: {
      timeoutMs: config.PAYMENT_TIMEOUT_MS,
      retry: {
        maxAttempts: config.PAYMENT_RETRY_ATTEMPTS,
        initialDelayMs: 100,
        maxDelayMs: 1_000,
        maxRetryAfterMs: 1_000,
      },
      breaker: { threshold: config.PAYMENT_BREAKER_THRESHOLD, halfOpenAfterMs: config.PAYMENT_BREAKER_HALF_OPEN_MS },
      bulkhead: { limit: config.PAYMENT_BULKHEAD_LIMIT, queue: config.PAYMENT_BULKHEAD_QUEUE },
    },
  };
}
