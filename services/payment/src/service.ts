import {
  createLogger,
  createMetrics,
  createServicePool,
  databaseCheck,
  migrate,
  orderedShutdown,
  retryUntilReady,
  type KitMetrics,
  type Logger,
  type Pool,
  type RunnableService,
} from '@harness/kit';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { PaymentConfig } from './config.ts';
import { startIdempotencyPurger, type IdempotencyPurger } from './idempotency/idempotencyPurger.ts';
import { loadMigrations } from './migrations.ts';
import { createSimulatedPsp, type SimulatedPsp } from './psp/simulatedPsp.ts';

/** What tests and Pact supply instead of what the config would make. */
export interface PaymentServiceOverrides {
  /** An open pool, ended by its owner (not by stop). Default: one from the config. */
  pool?: Pool;
  /** Default: the simulated PSP with the config's SLOW_TOKEN_DELAY_MS. */
  psp?: SimulatedPsp;
  logger?: Logger;
  metrics?: KitMetrics;
}

export interface PaymentService extends RunnableService {
  app: FastifyInstance;
  config: PaymentConfig;
  pool: Pool;
  logger: Logger;
}

/**
 * The payment service, wired once: its app is built at once; `start()` migrates (retrying until
 * the database is ready), listens on HOST:PORT and starts the idempotency-key purger; `stop()`
 * aborts slow authorisations in flight, closes the HTTP server, stops the purger, ends the pool.
 */
export function createService(config: PaymentConfig, overrides: PaymentServiceOverrides = {}): PaymentService {
  const logger = overrides.logger ?? createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const metrics = overrides.metrics ?? createMetrics(config.SERVICE_NAME);
  const pool = overrides.pool ?? createServicePool(config, logger);
  const shutdownController = new AbortController();
  const app = buildApp({
    pool,
    psp: overrides.psp ?? createSimulatedPsp({ slowDelayMs: config.SLOW_TOKEN_DELAY_MS }),
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
  let purger: IdempotencyPurger | undefined;

  return {
    app,
    config,
    pool,
    logger,
    async start() {
      await retryUntilReady('database schema', logger, async () => {
        await migrate(pool, loadMigrations());
      });
      if (shutdownController.signal.aborted) return;
      await app.listen({ host: config.HOST, port: config.PORT });
      if (shutdownController.signal.aborted) return;
      purger = startIdempotencyPurger({
        db: pool,
        retentionMs: config.PAYMENT_IDEMPOTENCY_RETENTION_HOURS * 3_600_000,
        batchSize: config.PAYMENT_IDEMPOTENCY_PURGE_BATCH,
        intervalMs: config.PAYMENT_IDEMPOTENCY_PURGE_INTERVAL_MS,
        logger,
      });
    },
    stop: orderedShutdown(logger, [
      // Slow authorisations in flight give up; their keys are freed for the caller's retry.
      ['in-flight authorisations', () => shutdownController.abort()],
      ['the HTTP server', () => app.close()],
      ['the idempotency purger', () => purger?.stop()],
      ['the pool', () => (overrides.pool === undefined ? pool.end() : undefined)],
    ]),
  };
}
