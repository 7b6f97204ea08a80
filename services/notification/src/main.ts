import {
  brokerCheck,
  BrokerConnection,
  createLogger,
  createMetrics,
  createPool,
  databaseCheck,
  migrate,
  retryUntilReady,
  topologySetup,
} from '@harness/kit';
import { buildApp } from './app.ts';
import { loadNotificationConfig } from './config.ts';
import { notificationMigrations } from './migrations.ts';
import { orderEventsQueue, orderEventsTopology, startOrderEventsConsumer } from './orderEventsConsumer.ts';

const config = loadNotificationConfig(process.env);
const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
const metrics = createMetrics(config.SERVICE_NAME);
const pool = createPool(config.DATABASE_URL, {
  max: config.DB_POOL_MAX,
  applicationName: config.SERVICE_NAME,
  queryTimeoutMs: config.DB_QUERY_TIMEOUT_MS,
  logger,
});
await retryUntilReady('database schema', logger, async () => {
  await migrate(pool, notificationMigrations);
});

const broker = new BrokerConnection({ url: config.AMQP_URL, logger });
const queue = orderEventsQueue({
  retryDelayMs: config.CONSUMER_RETRY_DELAY_MS,
  maxAttempts: config.CONSUMER_MAX_ATTEMPTS,
});
await broker.addSetup(topologySetup(orderEventsTopology(queue)));
// Setups run in order on every (re)connection: topology first, then the consumer.
const consumer = await startOrderEventsConsumer({
  pool,
  broker,
  queue,
  prefetch: config.CONSUMER_PREFETCH,
  logger,
  metrics,
});
void broker.start();

const app = buildApp({
  db: pool,
  logger,
  metrics,
  serviceToken: config.SERVICE_TOKEN,
  logRequests: config.LOG_REQUESTS,
  healthChecks: { postgres: databaseCheck(pool), rabbitmq: brokerCheck(broker) },
});
await app.listen({ host: config.HOST, port: config.PORT });

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  try {
    await app.close();
    await consumer.stop();
    await broker.close();
    await pool.end();
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
