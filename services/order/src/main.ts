import {
  brokerCheck,
  BrokerConnection,
  createLogger,
  createMetrics,
  createPool,
  databaseCheck,
  loadConfig,
  migrate,
  ResilienceEventLog,
  retryUntilReady,
  startOutboxRelay,
  topologySetup,
} from '@harness/kit';
import { buildApp } from './app.ts';
import { createDependencyGateways } from './clients/dependencyClients.ts';
import { orderConfigSchema, sagaSettingsOf } from './config.ts';
import { orderMigrations } from './migrations.ts';
import { ORDER_EVENTS_EXCHANGE } from './orders/orderEvents.ts';
import { resilienceSettings } from './resilience.ts';

const config = loadConfig(orderConfigSchema, process.env);
const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
const metrics = createMetrics(config.SERVICE_NAME);
const resilienceEvents = new ResilienceEventLog();

const pool = createPool(config.DATABASE_URL, {
  max: config.DATABASE_POOL_MAX,
  applicationName: config.SERVICE_NAME,
  queryTimeoutMs: config.DATABASE_QUERY_TIMEOUT_MS,
  logger,
});
await retryUntilReady('database schema', logger, async () => {
  await migrate(pool, orderMigrations());
});

const broker = new BrokerConnection({ url: config.AMQP_URL, logger });
await broker.addSetup(topologySetup({ exchange: ORDER_EVENTS_EXCHANGE, queues: [] }));
void broker.start();

const { inventory, payment } = createDependencyGateways({
  inventoryUrl: config.INVENTORY_URL,
  paymentUrl: config.PAYMENT_URL,
  serviceToken: config.SERVICE_TOKEN,
  resilience: resilienceSettings(config),
  logger,
  metrics,
  events: resilienceEvents,
});

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
  healthChecks: { postgres: databaseCheck(pool), rabbitmq: brokerCheck(broker) },
});
const relay = startOutboxRelay({ pool, broker, logger, metrics, intervalMs: config.OUTBOX_POLL_INTERVAL_MS });

await app.listen({ host: config.HOST, port: config.PORT });

let shuttingDown = false;
async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, 'shutting down');
  try {
    await app.close();
    await relay.stop();
    await broker.close();
    await pool.end();
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
