import { createLogger, createMetrics } from '@harness/kit';
import type { FastifyInstance } from 'fastify';
import { createService, loadGatewayConfig } from '@harness/gateway/testing';
import { pactServiceToken } from './examples.ts';

/** Nothing listens here: a dependency the test does not exercise answers "unavailable" at once. */
export const unreachableUrl = 'http://127.0.0.1:9';

export const gatewayApiKey = 'pact-consumer-gateway-key';

/**
 * The real gateway app, from the createService its main.ts runs (clients, resilience policies with
 * the default settings from its config schema), with its dependencies at the given URLs: the Pact
 * mock server of the link under test, or `unreachableUrl`. Not listening: tests inject requests.
 */
export function gatewayUnderPact(urls: { order?: string; inventory?: string; notification?: string }): FastifyInstance {
  const config = loadGatewayConfig({
    SERVICE_TOKEN: pactServiceToken,
    ORDER_URL: urls.order ?? unreachableUrl,
    INVENTORY_URL: urls.inventory ?? unreachableUrl,
    NOTIFICATION_URL: urls.notification ?? unreachableUrl,
    API_KEYS: JSON.stringify([
      { id: 'pact', key: gatewayApiKey, scopes: ['products:read', 'orders:read', 'orders:write'] },
    ]),
  });
  return createService(config, {
    logger: createLogger({ service: 'gateway', level: 'silent' }),
    metrics: createMetrics('gateway', { defaultMetrics: false }),
  }).app;
}

export const publicAuth = { authorization: `Bearer ${gatewayApiKey}` };
