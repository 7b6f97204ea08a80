import {
  createLogger,
  createMetrics,
  orderedShutdown,
  ResilienceEventLog,
  type KitMetrics,
  type Logger,
  type RunnableService,
} from '@harness/kit';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { parseApiKeys } from './auth/apiKeys.ts';
import type { GatewayConfig } from './config.ts';
import { createGatewayClients } from './dependencies.ts';
import { resilienceSettings } from './resilience.ts';

/** What tests and Pact supply instead of what the config would make. */
export interface GatewayServiceOverrides {
  logger?: Logger;
  metrics?: KitMetrics;
}

export interface GatewayService extends RunnableService {
  app: FastifyInstance;
  config: GatewayConfig;
  logger: Logger;
  resilienceEvents: ResilienceEventLog;
}

/**
 * The gateway, wired once: its app (API keys, rate limit, CORS, the order, inventory and
 * notification clients behind their resilience policies) is built at once; `start()` listens on
 * HOST:PORT; `stop()` closes the HTTP server.
 */
export function createService(config: GatewayConfig, overrides: GatewayServiceOverrides = {}): GatewayService {
  const logger = overrides.logger ?? createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const metrics = overrides.metrics ?? createMetrics(config.SERVICE_NAME);
  const resilienceEvents = new ResilienceEventLog();
  const { clients } = createGatewayClients({
    orderUrl: config.ORDER_URL,
    inventoryUrl: config.INVENTORY_URL,
    notificationUrl: config.NOTIFICATION_URL,
    serviceToken: config.SERVICE_TOKEN,
    resilience: resilienceSettings(config),
    metrics,
    logger,
    events: resilienceEvents,
  });
  const app = buildApp({
    clients,
    apiKeys: parseApiKeys(config.API_KEYS),
    rateLimit: { ratePerSecond: config.RATE_LIMIT_RPS, burst: config.RATE_LIMIT_BURST },
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    corsOrigins: (config.CORS_ORIGIN ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
    logger,
    metrics,
    resilienceEvents,
    serviceToken: config.SERVICE_TOKEN,
    logRequests: config.LOG_REQUESTS,
  });

  return {
    app,
    config,
    logger,
    resilienceEvents,
    async start() {
      await app.listen({ host: config.HOST, port: config.PORT });
    },
    stop: orderedShutdown(logger, [['the HTTP server', () => app.close()]]),
  };
}
