import {
  createResiliencePolicy,
  createServiceClient,
  type KitMetrics,
  type Logger,
  type ResilienceEventLog,
  type ResilienceSettingsInput,
} from '@harness/kit';
import type { InventoryPaths, PaymentPaths } from '@harness/contracts';
import { createInventoryGateway, type InventoryGateway } from './inventoryGateway.ts';
import { createPaymentGateway, type PaymentGateway } from './paymentGateway.ts';

export interface DependencyClientOptions {
  inventoryUrl: string;
  paymentUrl: string;
  serviceToken: string;
  resilience: { inventory: ResilienceSettingsInput; payment: ResilienceSettingsInput };
  logger: Logger;
  metrics: KitMetrics;
  events: ResilienceEventLog;
}

/**
 * The typed clients of L4 (inventory) and L5 (payment), each behind its own resilience policy
 * (timeout, retry, breaker, bulkhead) whose events land in the service's resilience log.
 */
export function createDependencyGateways(options: DependencyClientOptions): {
  inventory: InventoryGateway;
  payment: PaymentGateway;
} {
  const policyDeps = { logger: options.logger, metrics: options.metrics, events: options.events };
  const inventoryPolicy = createResiliencePolicy('inventory', options.resilience.inventory, policyDeps);
  const paymentPolicy = createResiliencePolicy('payment', options.resilience.payment, policyDeps);
  return {
    inventory: createInventoryGateway(
      createServiceClient<InventoryPaths>({
        baseUrl: options.inventoryUrl,
        policy: inventoryPolicy,
        serviceToken: options.serviceToken,
      }),
    ),
    payment: createPaymentGateway(
      createServiceClient<PaymentPaths>({
        baseUrl: options.paymentUrl,
        policy: paymentPolicy,
        serviceToken: options.serviceToken,
      }),
    ),
  };
}
