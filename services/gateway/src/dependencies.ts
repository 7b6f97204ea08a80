import {
  createResiliencePolicy,
  createServiceClient,
  isBreakerFailureExcept503,
  isNetworkFailure,
  type FetchFunction,
  type KitMetrics,
  type Logger,
  type ResilienceEventLog,
  type ResiliencePolicy,
  type ResilienceSettingsInput,
} from '@harness/kit';
import type { InventoryPaths, NotificationPaths, OrderPaths } from '@harness/contracts';
import type { Client } from 'openapi-fetch';

/** The gateway's three HTTP dependencies (L2, L3, L8), each behind its own resilience policy. */
export interface GatewayClients {
  order: Client<OrderPaths>;
  inventory: Client<InventoryPaths>;
  notification: Client<NotificationPaths>;
}

export interface DependencyTimeouts {
  orderMs: number;
  inventoryMs: number;
  notificationMs: number;
}

/**
 * Resilience of every dependency, in this one place.
 * - order: the saga may take seconds (payment), so a long timeout; retried only when the request
 *   never got an answer (network failure) — safe because the POST carries the Idempotency-Key and
 *   order replays by it. Order's 503 is a considered answer ("my dependency is down"), relayed
 *   with its Retry-After and not counted by this breaker, which guards the order service itself.
 * - inventory (catalog reads): short timeout, one retry.
 * - notification (order view extras): very short timeout, no retry; when it fails the view is
 *   served degraded, so waiting longer buys nothing.
 */
export function dependencySettings(
  timeouts: DependencyTimeouts,
): Record<keyof GatewayClients, ResilienceSettingsInput> {
  return {
    order: {
      timeoutMs: timeouts.orderMs,
      retry: { maxAttempts: 2, initialDelayMs: 50, maxDelayMs: 500 },
      breaker: { threshold: 10, halfOpenAfterMs: 5_000 },
      bulkhead: { limit: 512, queue: 1_024 },
    },
    inventory: {
      timeoutMs: timeouts.inventoryMs,
      retry: { maxAttempts: 2, initialDelayMs: 50, maxDelayMs: 500, maxRetryAfterMs: 1_000 },
      breaker: { threshold: 5, halfOpenAfterMs: 5_000 },
      bulkhead: { limit: 128, queue: 256 },
    },
    notification: {
      timeoutMs: timeouts.notificationMs,
      retry: { maxAttempts: 1 },
      breaker: { threshold: 5, halfOpenAfterMs: 5_000 },
      bulkhead: { limit: 128, queue: 256 },
    },
  };
}

export interface GatewayClientsOptions {
  orderUrl: string;
  inventoryUrl: string;
  notificationUrl: string;
  serviceToken: string;
  timeouts: DependencyTimeouts;
  metrics?: KitMetrics;
  logger?: Logger;
  events?: ResilienceEventLog;
  fetch?: FetchFunction;
}

export interface GatewayDependencies {
  clients: GatewayClients;
  policies: Record<keyof GatewayClients, ResiliencePolicy>;
}

export function createGatewayClients(options: GatewayClientsOptions): GatewayDependencies {
  const settings = dependencySettings(options.timeouts);
  const observers = {
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.events === undefined ? {} : { events: options.events }),
  };
  const policies = {
    // Retry order only when no answer came back at all; its breaker counts unreachability,
    // timeouts and 5xx other than order's own (considered) 503 answers.
    order: createResiliencePolicy('order', settings.order, {
      ...observers,
      isRetryable: isNetworkFailure,
      isBreakerFailure: isBreakerFailureExcept503,
    }),
    inventory: createResiliencePolicy('inventory', settings.inventory, observers),
    notification: createResiliencePolicy('notification', settings.notification, observers),
  };
  const common = {
    serviceToken: options.serviceToken,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  };
  return {
    policies,
    clients: {
      order: createServiceClient<OrderPaths>({ baseUrl: options.orderUrl, policy: policies.order, ...common }),
      inventory: createServiceClient<InventoryPaths>({
        baseUrl: options.inventoryUrl,
        policy: policies.inventory,
        ...common,
      }),
      notification: createServiceClient<NotificationPaths>({
        baseUrl: options.notificationUrl,
        policy: policies.notification,
        ...common,
      }),
    },
  };
}
