import {
  createLogger,
  createMetrics,
  createServicePool,
  migrate,
  orderedShutdown,
  messageBusOf,
  ResilienceEventLog,
  retryUntilReady,
  type Consumer,
  type KitMetrics,
  type Logger,
  type Pool,
  type RunnableService,
} from '@harness/kit';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { parseApiKeys } from './auth/apiKeys.ts';
import type { GatewayConfig } from './config.ts';
import { createGatewayClients } from './dependencies.ts';
import { createStockLevelsClient } from './stock/stockLevelsClient.ts';
import { loadHistoryMigrations } from './history/historyMigrations.ts';
import type { OrderHistory } from './history/orderHistory.ts';
import {
  orderHistoryQueue,
  orderHistoryTopology,
  startOrderHistoryConsumer,
} from './history/orderHistoryProjection.ts';
import { orderHistoryStore } from './history/orderHistoryStore.ts';
import {
  orderNotificationsQueue,
  orderNotificationsTopology,
  startOrderNotificationsConsumer,
} from './history/orderNotificationsProjection.ts';
import { trackReadModelLag } from './history/readModelLag.ts';
import { resilienceSettings } from './resilience.ts';

/** What tests and Pact supply instead of what the config would make. */
export interface GatewayServiceOverrides {
  logger?: Logger;
  metrics?: KitMetrics;
  /** An open pool for the read model, ended by its owner (not by stop). Default: one from the config. */
  pool?: Pool;
}

export interface GatewayService extends RunnableService {
  app: FastifyInstance;
  config: GatewayConfig;
  logger: Logger;
  resilienceEvents: ResilienceEventLog;
}

/**
 * The gateway, wired once: its app (API keys, rate limit, CORS, the order, inventory and
 * notification clients behind their resilience policies) is built at once. With DATABASE_URL and
 * the broker's address (AMQP_URL, or KAFKA_BROKERS with BROKER=kafka) it also keeps the order
 * history read model: `start()` migrates its database (retrying until ready) and starts its two
 * consumers (order events, notification events) and the broker connection, then listens on
 * HOST:PORT. The read model is not part of readiness: the gateway serves orders without it.
 * `stop()` closes the HTTP server, the consumers, the broker connection and the pool, in that order.
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
  const stockLevels =
    config.INVENTORY_GRPC_ADDRESS === undefined
      ? undefined
      : createStockLevelsClient({
          address: config.INVENTORY_GRPC_ADDRESS,
          serviceToken: config.SERVICE_TOKEN,
          resilience: resilienceSettings(config).stock,
          observers: { metrics, logger, events: resilienceEvents },
        });
  // The read model needs its database and the broker BROKER names (RabbitMQ or Kafka).
  const brokerAddress = config.BROKER === 'kafka' ? config.KAFKA_BROKERS : config.AMQP_URL;
  const readModel = config.DATABASE_URL !== undefined && brokerAddress !== undefined;
  const pool = readModel
    ? (overrides.pool ?? createServicePool({ ...config, DATABASE_URL: config.DATABASE_URL ?? '' }, logger))
    : undefined;
  const broker = readModel ? messageBusOf(config, { logger, clientId: config.SERVICE_NAME }) : undefined;
  const retries = { retryDelayMs: config.CONSUMER_RETRY_DELAY_MS, maxAttempts: config.CONSUMER_MAX_ATTEMPTS };
  // The read model's two queues: the order events and the notification events.
  const queue = orderHistoryQueue(retries);
  const notificationsQueue = orderNotificationsQueue(retries);
  const history: OrderHistory | undefined =
    pool && broker
      ? {
          store: orderHistoryStore(pool),
          lag: trackReadModelLag({
            backlog: async () => {
              const waiting = await Promise.all([queue, notificationsQueue].map(({ name }) => broker.backlog(name)));
              return waiting.reduce((sum, count) => sum + count, 0);
            },
            intervalMs: config.READ_MODEL_LAG_CHECK_MS,
            staleAfterMs: config.READ_MODEL_STALE_AFTER_MS,
            metrics,
            logger,
          }),
        }
      : undefined;
  let consumer: Consumer | undefined;
  let notificationsConsumer: Consumer | undefined;
  let stopping = false;
  const app = buildApp({
    ...(history === undefined ? {} : { history }),
    clients,
    ...(stockLevels === undefined ? {} : { stockLevels }),
    apiKeys: parseApiKeys(config.API_KEYS),
    rateLimit: { ratePerSecond: config.RATE_LIMIT_RPS, burst: config.RATE_LIMIT_BURST },
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    graphqlLimits: { maxDepth: config.GRAPHQL_MAX_DEPTH, maxComplexity: config.GRAPHQL_MAX_COMPLEXITY },
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
      if (pool && broker) {
        await retryUntilReady('read model schema', logger, async () => {
          await migrate(pool, loadHistoryMigrations());
        });
        if (stopping) return;
        // Setups run in order on every (re)connection: topology first, then the consumer.
        await broker.declare(orderHistoryTopology(queue));
        await broker.declare(orderNotificationsTopology(notificationsQueue));
        consumer = await startOrderHistoryConsumer({
          pool,
          broker,
          queue,
          prefetch: config.CONSUMER_PREFETCH,
          logger,
          metrics,
        });
        notificationsConsumer = await startOrderNotificationsConsumer({
          pool,
          broker,
          queue: notificationsQueue,
          prefetch: config.CONSUMER_PREFETCH,
          logger,
          metrics,
        });
        void broker.start();
      }
      await app.listen({ host: config.HOST, port: config.PORT });
    },
    stop: orderedShutdown(logger, [
      [
        'the HTTP server',
        () => {
          stopping = true;
          history?.lag.stop();
          return app.close();
        },
      ],
      ['the gRPC channel to inventory', () => stockLevels?.close()],
      ['the consumers', () => Promise.all([consumer?.stop(), notificationsConsumer?.stop()])],
      ['the broker connection', () => broker?.close()],
      ['the pool', () => (overrides.pool === undefined ? pool?.end() : undefined)],
    ]),
  };
}
