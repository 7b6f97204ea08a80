import { createLogger, createMetrics, ResilienceEventLog } from '@harness/kit';
import { buildApp } from './app.ts';
import { parseApiKeys } from './auth/apiKeys.ts';
import { loadGatewayConfig } from './config.ts';
import { createGatewayClients } from './dependencies.ts';
import { resilienceSettings } from './resilience.ts';

const config = loadGatewayConfig(process.env);
const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
const metrics = createMetrics(config.SERVICE_NAME);
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

await app.listen({ host: config.HOST, port: config.PORT });

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  try {
    await app.close();
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
