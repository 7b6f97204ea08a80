import {
  BrokerConnection,
  brokerCheck,
  createLogger,
  createMetrics,
  createPool,
  databaseCheck,
  migrate,
  retryUntilReady,
  topologySetup,
} from '@harness/kit';
import { buildApp } from './app.ts';
import { defaultCatalog } from './catalog/defaultCatalog.ts';
import { seedCatalog } from './catalog/productStore.ts';
import { loadInventoryConfig } from './config.ts';
import { orderCancelledTopology, startOrderCancelledConsumer } from './events/orderCancelledConsumer.ts';
import { loadMigrations } from './migrations.ts';

const config = loadInventoryConfig(process.env);
const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
const metrics = createMetrics(config.SERVICE_NAME);
const pool = createPool(config.DATABASE_URL, {
  max: config.DB_POOL_MAX,
  applicationName: config.SERVICE_NAME,
  queryTimeoutMs: config.DB_QUERY_TIMEOUT_MS,
  connectionTimeoutMillis: config.DB_CONNECT_TIMEOUT_MS,
  logger,
});

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

// The HTTP API does not need the broker: the service serves while the broker (re)connects.
const broker = new BrokerConnection({ url: config.AMQP_URL, logger });
const topology = orderCancelledTopology({
  retryDelayMs: config.CONSUMER_RETRY_DELAY_MS,
  maxAttempts: config.CONSUMER_MAX_ATTEMPTS,
});
await broker.addSetup(topologySetup(topology));
const consumer = await startOrderCancelledConsumer({
  pool,
  broker,
  topology,
  logger,
  metrics,
  prefetch: config.CONSUMER_PREFETCH,
});
void broker.start();

const app = buildApp({
  pool,
  logger,
  metrics,
  serviceToken: config.SERVICE_TOKEN,
  retryAfterSeconds: config.DB_UNAVAILABLE_RETRY_AFTER_S,
  logRequests: config.LOG_REQUESTS,
  healthChecks: { postgres: databaseCheck(pool), rabbitmq: brokerCheck(broker) },
});
await app.listen({ host: config.HOST, port: config.PORT });

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  await app.close().catch((error: unknown) => logger.warn({ err: error }, 'closing the HTTP server failed'));
  await consumer.stop().catch((error: unknown) => logger.warn({ err: error }, 'stopping the consumer failed'));
  await broker.close();
  await pool.end().catch((error: unknown) => logger.warn({ err: error }, 'closing the pool failed'));
  logger.info('stopped');
  process.exit(0);
}
process.once('SIGTERM', (signal) => void shutdown(signal));
process.once('SIGINT', (signal) => void shutdown(signal));
