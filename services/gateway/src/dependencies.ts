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
} from '@harness/kit';
import type { InventoryPaths, NotificationPaths, OrderPaths } from '@harness/contracts';
import type { Client } from 'openapi-fetch';
import type { GatewayResilienceSettings } from './resilience.ts';

/** The gateway's three HTTP dependencies (L2, L3, L8), each behind its own resilience policy (resilience.ts). */
export interface GatewayClients {
  order: Client<OrderPaths>;
  inventory: Client<InventoryPaths>;
  notification: Client<NotificationPaths>;
}

export interface GatewayClientsOptions {
  orderUrl: string;
  inventoryUrl: string;
  notificationUrl: string;
  serviceToken: string;
  /** Each dependency's policy settings (resilienceSettings(config) in main.ts). */
  resilience: GatewayResilienceSettings;
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
  const settings = options.resilience;
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
