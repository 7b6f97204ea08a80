import { createLogger, createMetrics, loadConfig, ResilienceEventLog } from '@harness/kit';
import {
  dependencyGatewaysOf,
  type InventoryGateway,
  type PaymentGateway,
  orderConfigSchema,
} from '@harness/order/testing';
import { pactServiceToken } from './examples.ts';

const unreachableUrl = 'http://127.0.0.1:9';

/**
 * The order service's inventory (L4) and payment (L5) gateways, built by the function its
 * createService builds them with (resilience settings from its config defaults), pointed at the
 * Pact mock server.
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
  return dependencyGatewaysOf(config, {
    logger: createLogger({ service: 'order', level: 'silent' }),
    metrics: createMetrics('order', { defaultMetrics: false }),
    events: new ResilienceEventLog(),
  });
}
