import {
  brokerCheck,
  createGrpcServer,
  createLogger,
  createMetrics,
  createServicePool,
  databaseCheck,
  migrate,
  orderedShutdown,
  retryUntilReady,
  messageBusOf,
  type Consumer,
  type GrpcServer,
  type HealthCheck,
  type KitMetrics,
  type Logger,
  type Pool,
  type RunnableService,
} from '@harness/kit';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { defaultCatalog } from './catalog/defaultCatalog.ts';
import { seedCatalog } from './catalog/productStore.ts';
import type { InventoryConfig } from './config.ts';
import { orderCancelledTopology, startOrderCancelledConsumer } from './events/orderCancelledConsumer.ts';
import { stockLevelService } from './grpc/stockLevelService.ts';
import { loadMigrations } from './migrations.ts';

/** What tests and Pact supply instead of what the config would make. */
export interface InventoryServiceOverrides {
  /** An open pool, ended by its owner (not by stop). Default: one from the config. */
  pool?: Pool;
  logger?: Logger;
  metrics?: KitMetrics;
  /** false: no broker connection and no OrderCancelled consumer (the HTTP API alone). Default true. */
  messaging?: boolean;
}

export interface InventoryService extends RunnableService {
  app: FastifyInstance;
  config: InventoryConfig;
  pool: Pool;
  logger: Logger;
  /** The gRPC server (StockLevelService) when GRPC_PORT is set; it listens beside the HTTP one. */
  grpc: GrpcServer | undefined;
  /** Where the gRPC server listens once started (GRPC_PORT 0 picks a free port). */
  grpcPort(): number | undefined;
}

/**
 * The inventory service, wired once: its app is built at once; `start()` migrates and seeds the
 * catalog (retrying until the database is ready), starts the OrderCancelled consumer and the broker
 * connection (the HTTP API serves while the broker (re)connects) and listens on HOST:PORT (and the
 * gRPC server on HOST:GRPC_PORT when set); `stop()` closes the HTTP server, the gRPC server (calls
 * in flight get a grace period), the consumer, the broker connection and the pool, in that order.
 */
export function createService(config: InventoryConfig, overrides: InventoryServiceOverrides = {}): InventoryService {
  const logger = overrides.logger ?? createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const metrics = overrides.metrics ?? createMetrics(config.SERVICE_NAME);
  const pool = overrides.pool ?? createServicePool(config, logger);
  // RabbitMQ or Kafka, as BROKER says: the consumer is the same on either.
  const broker =
    (overrides.messaging ?? true) ? messageBusOf(config, { logger, clientId: config.SERVICE_NAME }) : undefined;
  const healthChecks: Record<string, HealthCheck> = { postgres: databaseCheck(pool) };
  if (broker) healthChecks[broker.kind] = brokerCheck(broker);
  const app = buildApp({
    pool,
    logger,
    metrics,
    serviceToken: config.SERVICE_TOKEN,
    retryAfterSeconds: config.DB_UNAVAILABLE_RETRY_AFTER_S,
    logRequests: config.LOG_REQUESTS,
    healthChecks,
  });
  const grpc =
    config.GRPC_PORT === undefined
      ? undefined
      : createGrpcServer({ maxMessageBytes: config.GRPC_MAX_MESSAGE_BYTES, logger });
  if (grpc) {
    const stockLevels = stockLevelService({ pool, serviceToken: config.SERVICE_TOKEN, logger });
    grpc.server.addService(stockLevels.definition, stockLevels.implementation);
  }
  let grpcPort: number | undefined;
  let consumer: Consumer | undefined;
  let stopping = false;

  return {
    app,
    config,
    pool,
    logger,
    grpc,
    grpcPort: () => grpcPort,
    async start() {
      await retryUntilReady('database schema', logger, async () => {
        await migrate(pool, loadMigrations());
        await seedCatalog(
          pool,
          defaultCatalog({
            regular: config.CATALOG_STOCK,
            bulk: config.CATALOG_BULK_STOCK,
            scarce: config.CATALOG_SCARCE_STOCK,
          }),
        );
      });
      if (stopping) return;
      if (broker) {
        const topology = orderCancelledTopology({
          retryDelayMs: config.CONSUMER_RETRY_DELAY_MS,
          maxAttempts: config.CONSUMER_MAX_ATTEMPTS,
        });
        await broker.declare(topology);
        // Setups run in order on every (re)connection: topology first, then the consumer.
        consumer = await startOrderCancelledConsumer({
          pool,
          broker,
          topology,
          logger,
          metrics,
          prefetch: config.CONSUMER_PREFETCH,
        });
        void broker.start();
      }
      if (grpc && config.GRPC_PORT !== undefined) grpcPort = await grpc.listen(config.HOST, config.GRPC_PORT);
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
      ['the gRPC server', () => grpc?.close()],
      ['the consumer', () => consumer?.stop()],
      ['the broker connection', () => broker?.close()],
      ['the pool', () => (overrides.pool === undefined ? pool.end() : undefined)],
    ]),
  };
}
