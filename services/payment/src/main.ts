import { createLogger, createMetrics, createPool, databaseCheck, migrate, retryUntilReady } from '@harness/kit';
import { buildApp } from './app.ts';
import { loadPaymentConfig } from './config.ts';
import { startIdempotencyPurger } from './idempotency/idempotencyPurger.ts';
import { loadMigrations } from './migrations.ts';
import { createSimulatedPsp } from './psp/simulatedPsp.ts';

const config = loadPaymentConfig(process.env);
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
});

const shutdownController = new AbortController();
const app = buildApp({
  pool,
  psp: createSimulatedPsp({ slowDelayMs: config.SLOW_TOKEN_DELAY_MS }),
  idempotency: {
    claimTtlMs: config.IDEMPOTENCY_CLAIM_TTL_MS,
    conflictRetryAfterSeconds: config.IDEMPOTENCY_CONFLICT_RETRY_AFTER_S,
  },
  logger,
  metrics,
  serviceToken: config.SERVICE_TOKEN,
  retryAfterSeconds: config.DB_UNAVAILABLE_RETRY_AFTER_S,
  logRequests: config.LOG_REQUESTS,
  healthChecks: { postgres: databaseCheck(pool) },
  shutdownSignal: shutdownController.signal,
});
await app.listen({ host: config.HOST, port: config.PORT });
const purger = startIdempotencyPurger({
  db: pool,
  retentionMs: config.PAYMENT_IDEMPOTENCY_RETENTION_HOURS * 3_600_000,
  batchSize: config.PAYMENT_IDEMPOTENCY_PURGE_BATCH,
  intervalMs: config.PAYMENT_IDEMPOTENCY_PURGE_INTERVAL_MS,
  logger,
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  // Slow authorisations in flight give up; their keys are freed for the caller's retry.
  shutdownController.abort();
  await app.close().catch((error: unknown) => logger.warn({ err: error }, 'closing the HTTP server failed'));
  await purger.stop();
  await pool.end().catch((error: unknown) => logger.warn({ err: error }, 'closing the pool failed'));
  logger.info('stopped');
  process.exit(0);
}
process.once('SIGTERM', (signal) => void shutdown(signal));
process.once('SIGINT', (signal) => void shutdown(signal));
