import {
  brokerCheck,
  createLogger,
  createMetrics,
  createServicePool,
  databaseCheck,
  migrate,
  orderedShutdown,
  ResilienceEventLog,
  retryUntilReady,
  messageBusOf,
  startOutboxRelay,
  type HealthCheck,
  type KitMetrics,
  type Logger,
  type OutboxRelay,
  type Pool,
  type RunnableService,
} from '@harness/kit';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { createDependencyGateways } from './clients/dependencyClients.ts';
import type { InventoryGateway } from './clients/inventoryGateway.ts';
import type { PaymentGateway } from './clients/paymentGateway.ts';
import { sagaSettingsOf, type OrderConfig } from './config.ts';
import { loadMigrations } from './migrations.ts';
import { ORDER_EVENTS_EXCHANGE } from './orders/orderEvents.ts';
import { resilienceSettings } from './resilience.ts';

/** What tests and Pact supply instead of what the config would make. */
export interface OrderServiceOverrides {
  /** An open pool, ended by its owner (not by stop). Default: one from the config. */
  pool?: Pool;
  logger?: Logger;
  metrics?: KitMetrics;
  /** false: no broker connection and no outbox relay (the HTTP API alone). Default true. */
  messaging?: boolean;
  /** false: no recovery worker settling interrupted sagas in the background. Default true. */
  recoveryWorker?: boolean;
}

export interface OrderService extends RunnableService {
  app: FastifyInstance;
  config: OrderConfig;
  pool: Pool;
  logger: Logger;
  resilienceEvents: ResilienceEventLog;
}

/**
 * The inventory (L4) and payment (L5) gateways of an order service with this config: typed clients
 * behind the resilience policies of resilience.ts, reporting to `events`.
 */
export function dependencyGatewaysOf(
  config: OrderConfig,
  observers: { logger: Logger; metrics: KitMetrics; events: ResilienceEventLog },
): { inventory: InventoryGateway; payment: PaymentGateway } {
  return createDependencyGateways({
    inventoryUrl: config.INVENTORY_URL,
    paymentUrl: config.PAYMENT_URL,
    serviceToken: config.SERVICE_TOKEN,
    resilience: resilienceSettings(config),
    ...observers,
  });
}

/**
 * The order service, wired once: its app (saga, recovery worker) is built at once; `start()`
 * migrates (retrying until the database is ready), starts the broker connection (the API serves
 * while it (re)connects) and the outbox relay, and listens on HOST:PORT; `stop()` closes the HTTP
 * server (which stops the recovery worker and drains sagas), the relay, the broker connection and
 * the pool, in that order.
 */
export function createService(config: OrderConfig, overrides: OrderServiceOverrides = {}): OrderService {
  const logger = overrides.logger ?? createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const metrics = overrides.metrics ?? createMetrics(config.SERVICE_NAME);
  const resilienceEvents = new ResilienceEventLog();
  const pool = overrides.pool ?? createServicePool(config, logger);
  // RabbitMQ or Kafka, as BROKER says: the outbox relay publishes the same way on either.
  const broker =
    (overrides.messaging ?? true) ? messageBusOf(config, { logger, clientId: config.SERVICE_NAME }) : undefined;
  const healthChecks: Record<string, HealthCheck> = { postgres: databaseCheck(pool) };
  if (broker) healthChecks[broker.kind] = brokerCheck(broker);
  const { inventory, payment } = dependencyGatewaysOf(config, { logger, metrics, events: resilienceEvents });
  const app = buildApp({
    pool,
    inventory,
    payment,
    settings: sagaSettingsOf(config),
    productCacheTtlMs: config.PRODUCT_CACHE_TTL_MS,
    logger,
    metrics,
    resilienceEvents,
    serviceToken: config.SERVICE_TOKEN,
    logRequests: config.LOG_REQUESTS,
    healthChecks,
    ...(broker === undefined ? {} : { broker }),
    ...(overrides.recoveryWorker === undefined ? {} : { recoveryWorker: overrides.recoveryWorker }),
  });
  let relay: OutboxRelay | undefined;
  let stopping = false;

  return {
    app,
    config,
    pool,
    logger,
    resilienceEvents,
    async start() {
      await retryUntilReady('database schema', logger, async () => {
        await migrate(pool, loadMigrations());
      });
      if (stopping) return;
      if (broker) {
        await broker.declare({ exchange: ORDER_EVENTS_EXCHANGE, queues: [] });
        void broker.start();
        relay = startOutboxRelay({ pool, broker, logger, metrics, intervalMs: config.OUTBOX_POLL_INTERVAL_MS });
      }
      await app.listen({ host: config.HOST, port: config.PORT });
    },
    stop: orderedShutdown(logger, [
      [
        'the HTTP server',
        () => {
          stopping = true;
          return app.close();
        },
      ],
      ['the outbox relay', () => relay?.stop()],
      ['the broker connection', () => broker?.close()],
      ['the pool', () => (overrides.pool === undefined ? pool.end() : undefined)],
    ]),
  };
}
