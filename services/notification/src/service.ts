import {
  brokerCheck,
  createLogger,
  createMetrics,
  createServicePool,
  databaseCheck,
  migrate,
  orderedShutdown,
  messageBusOf,
  retryUntilReady,
  startOutboxRelay,
  type Consumer,
  type HealthCheck,
  type KitMetrics,
  type Logger,
  type OutboxRelay,
  type Pool,
  type RunnableService,
} from '@harness/kit';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { NotificationConfig } from './config.ts';
import { loadMigrations } from './migrations.ts';
import { notificationEventsTopology } from './notificationSent.ts';
import { orderEventsQueue, orderEventsTopology, startOrderEventsConsumer } from './orderEventsConsumer.ts';

/** What tests and Pact supply instead of what the config would make. */
export interface NotificationServiceOverrides {
  /** An open pool, ended by its owner (not by stop). Default: one from the config. */
  pool?: Pool;
  logger?: Logger;
  metrics?: KitMetrics;
  /**
   * false: no broker connection, no order-events consumer and no outbox relay (the HTTP API alone).
   * Default true.
   */
  messaging?: boolean;
}

export interface NotificationService extends RunnableService {
  app: FastifyInstance;
  config: NotificationConfig;
  pool: Pool;
  logger: Logger;
}

/**
 * The notification service, wired once: its app is built at once; `start()` migrates (retrying
 * until the database is ready), starts the order-events consumer, the broker connection and the
 * outbox relay (NotificationSent), and listens on HOST:PORT; `stop()` closes the HTTP server, the
 * consumer, the relay, the broker connection and the pool, in that order.
 */
export function createService(
  config: NotificationConfig,
  overrides: NotificationServiceOverrides = {},
): NotificationService {
  const logger = overrides.logger ?? createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const metrics = overrides.metrics ?? createMetrics(config.SERVICE_NAME);
  const pool = overrides.pool ?? createServicePool(config, logger);
  // RabbitMQ or Kafka, as BROKER says: the consumer is the same on either.
  const broker =
    (overrides.messaging ?? true) ? messageBusOf(config, { logger, clientId: config.SERVICE_NAME }) : undefined;
  const healthChecks: Record<string, HealthCheck> = { postgres: databaseCheck(pool) };
  if (broker) healthChecks[broker.kind] = brokerCheck(broker);
  const app = buildApp({
    db: pool,
    logger,
    metrics,
    serviceToken: config.SERVICE_TOKEN,
    logRequests: config.LOG_REQUESTS,
    healthChecks,
  });
  let consumer: Consumer | undefined;
  let relay: OutboxRelay | undefined;
  let stopping = false;

  return {
    app,
    config,
    pool,
    logger,
    async start() {
      await retryUntilReady('database schema', logger, async () => {
        await migrate(pool, loadMigrations());
      });
      if (stopping) return;
      if (broker) {
        const queue = orderEventsQueue({
          retryDelayMs: config.CONSUMER_RETRY_DELAY_MS,
          maxAttempts: config.CONSUMER_MAX_ATTEMPTS,
        });
        await broker.declare(orderEventsTopology(queue));
        await broker.declare(notificationEventsTopology);
        // Setups run in order on every (re)connection: topology first, then the consumer.
        consumer = await startOrderEventsConsumer({
          pool,
          broker,
          queue,
          prefetch: config.CONSUMER_PREFETCH,
          logger,
          metrics,
        });
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
      ['the consumer', () => consumer?.stop()],
      ['the outbox relay', () => relay?.stop()],
      ['the broker connection', () => broker?.close()],
      ['the pool', () => (overrides.pool === undefined ? pool.end() : undefined)],
    ]),
  };
}
