import type { ResilienceSettingsInput } from '@harness/kit';
import type { GatewayConfig } from './config.ts';

/** The gateway's three HTTP dependencies (L2, L3, L8) and inventory's stock levels over gRPC (L11). */
type GatewayDependency = 'order' | 'inventory' | 'notification' | 'stock';

export type GatewayResilienceSettings = Record<GatewayDependency, ResilienceSettingsInput>;

/**
 * Resilience of every dependency, in this one place; the knobs come from the config, the backoff
 * shape is fixed here.
 * - order: the saga may take seconds (payment), so a long timeout; retried only when the request
 *   never got an answer (network failure) — safe because the POST carries the Idempotency-Key and
 *   order replays by it. Order's 503 is a considered answer ("my dependency is down"), relayed
 *   with its Retry-After and not counted by this breaker, which guards the order service itself.
 * - inventory (catalog reads): short timeout, one retry.
 * - stock (order view extras, gRPC): a deadline per attempt, one retry (UNAVAILABLE, and
 *   DEADLINE_EXCEEDED since GetStockLevels has no side effects); when it fails or the circuit is
 *   open the view is served with `degraded: ["stock"]`.
 * - notification (order view extras): very short timeout, no retry; when it fails the view is
 *   served degraded, so waiting longer buys nothing.
 */
export function resilienceSettings(config: GatewayConfig): GatewayResilienceSettings {
  return {
    order: {
      timeoutMs: config.ORDER_TIMEOUT_MS,
      retry: { maxAttempts: config.ORDER_RETRY_ATTEMPTS, initialDelayMs: 50, maxDelayMs: 500 },
      breaker: { threshold: config.ORDER_BREAKER_THRESHOLD, halfOpenAfterMs: config.ORDER_BREAKER_HALF_OPEN_MS },
      bulkhead: { limit: config.ORDER_BULKHEAD_LIMIT, queue: config.ORDER_BULKHEAD_QUEUE },
    },
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
    stock: {
      timeoutMs: config.STOCK_DEADLINE_MS,
      retry: { maxAttempts: config.STOCK_RETRY_ATTEMPTS, initialDelayMs: 25, maxDelayMs: 200 },
      breaker: { threshold: config.STOCK_BREAKER_THRESHOLD, halfOpenAfterMs: config.STOCK_BREAKER_HALF_OPEN_MS },
      bulkhead: { limit: config.STOCK_BULKHEAD_LIMIT, queue: config.STOCK_BULKHEAD_QUEUE },
    },
    notification: {
      timeoutMs: config.NOTIFICATION_TIMEOUT_MS,
      retry: { maxAttempts: config.NOTIFICATION_RETRY_ATTEMPTS },
      breaker: {
        threshold: config.NOTIFICATION_BREAKER_THRESHOLD,
        halfOpenAfterMs: config.NOTIFICATION_BREAKER_HALF_OPEN_MS,
      },
      bulkhead: { limit: config.NOTIFICATION_BULKHEAD_LIMIT, queue: config.NOTIFICATION_BULKHEAD_QUEUE },
    },
  };
}
