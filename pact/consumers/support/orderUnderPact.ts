import { createLogger, createMetrics, loadConfig, ResilienceEventLog } from '@harness/kit';
import {
  createDependencyGateways,
  type InventoryGateway,
  type PaymentGateway,
  orderConfigSchema,
  resilienceSettings,
} from '@harness/order/testing';
import { pactServiceToken } from './examples.ts';

const unreachableUrl = 'http://127.0.0.1:9';

/**
 * The order service's inventory (L4) and payment (L5) gateways, built by the same factory and
 * resilience settings (its config defaults) main.ts uses, pointed at the Pact mock server.
 */
export function orderGateways(urls: { inventory?: string; payment?: string }): {
  inventory: InventoryGateway;
  payment: PaymentGateway;
} {
  const config = loadConfig(orderConfigSchema, {
    PORT: '0',
    SERVICE_TOKEN: pactServiceToken,
    DATABASE_URL: 'postgres://unused',
    AMQP_URL: 'amqp://unused',
    INVENTORY_URL: urls.inventory ?? unreachableUrl,
    PAYMENT_URL: urls.payment ?? unreachableUrl,
  });
  return createDependencyGateways({
    inventoryUrl: config.INVENTORY_URL,
    paymentUrl: config.PAYMENT_URL,
    serviceToken: config.SERVICE_TOKEN,
    resilience: resilienceSettings(config),
    logger: createLogger({ service: 'order', level: 'silent' }),
    metrics: createMetrics('order', { defaultMetrics: false }),
    events: new ResilienceEventLog(),
  });
}
