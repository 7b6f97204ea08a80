import { createLogger, createMetrics } from '@harness/kit';
import type { FastifyInstance } from 'fastify';
import { buildApp, loadGatewayConfig, createGatewayClients, resilienceSettings } from '@harness/gateway/testing';
import { pactServiceToken } from './examples.ts';

/** Nothing listens here: a dependency the test does not exercise answers "unavailable" at once. */
export const unreachableUrl = 'http://127.0.0.1:9';

export const gatewayApiKey = 'pact-consumer-gateway-key';

/**
 * The real gateway app, wired as its main.ts wires it (clients, resilience policies with the default
 * settings from its config schema), with its dependencies at the given URLs: the Pact mock server
 * of the link under test, or `unreachableUrl`.
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
  const logger = createLogger({ service: 'gateway', level: 'silent' });
  const metrics = createMetrics('gateway', { defaultMetrics: false });
  const { clients } = createGatewayClients({
    orderUrl: config.ORDER_URL,
    inventoryUrl: config.INVENTORY_URL,
    notificationUrl: config.NOTIFICATION_URL,
    serviceToken: config.SERVICE_TOKEN,
    resilience: resilienceSettings(config),
    metrics,
    logger,
  });
  return buildApp({
    clients,
    apiKeys: [{ id: 'pact', key: gatewayApiKey, scopes: ['products:read', 'orders:read', 'orders:write'] }],
    rateLimit: { ratePerSecond: config.RATE_LIMIT_RPS, burst: config.RATE_LIMIT_BURST },
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    corsOrigins: [],
    logger,
    metrics,
  });
}

export const publicAuth = { authorization: `Bearer ${gatewayApiKey}` };
