import {
  createServiceApp,
  withTransaction,
  type HealthCheck,
  type KitMetrics,
  type Logger,
  type Pool,
} from '@harness/kit';
import type { FastifyInstance } from 'fastify';
import { chargeHandlers } from './charges/chargeHandlers.ts';
import type { IdempotencySettings } from './idempotency/runIdempotently.ts';
import { paymentSpec } from './paymentSpec.ts';
import { createSimulatedPsp, type SimulatedPsp } from './psp/simulatedPsp.ts';
import { refundHandlers } from './refunds/refundHandlers.ts';

export { loadMigrations } from './migrations.ts';
export { createSimulatedPsp, TEST_TOKENS, type SimulatedPsp } from './psp/simulatedPsp.ts';

export interface PaymentAppDeps {
  /** The payment database, migrated with `loadMigrations()`. */
  pool: Pool;
  logger: Logger;
  metrics: KitMetrics;
  /** The simulated PSP. Default: test tokens with a 5 s `tok_slow`. */
  psp?: SimulatedPsp;
  /** Default: claims protected 30 s, Retry-After 1 s on a conflict. */
  idempotency?: IdempotencySettings;
  /** Required as X-Service-Token on every operation the spec secures; unset only in tests. */
  serviceToken?: string;
  /** Retry-After of the 503 answered while the database is unavailable. Default 1. */
  retryAfterSeconds?: number;
  healthChecks?: Readonly<Record<string, HealthCheck>>;
  /** Aborted at shutdown: slow authorisations in flight give up (their keys are freed). */
  shutdownSignal?: AbortSignal;
  /** Fastify's per-request log lines (default true). */
  logRequests?: boolean;
}

export const defaultIdempotencySettings: IdempotencySettings = { claimTtlMs: 30_000, conflictRetryAfterSeconds: 1 };

/** The payment service's HTTP app: charges and refunds with Idempotency-Key semantics. */
export function buildApp(deps: PaymentAppDeps): FastifyInstance {
  const { pool } = deps;
  const psp = deps.psp ?? createSimulatedPsp({ slowDelayMs: 5_000 });
  const idempotency = deps.idempotency ?? defaultIdempotencySettings;
  return createServiceApp({
    name: 'payment',
    spec: paymentSpec,
    handlers: {
      ...chargeHandlers({
        db: pool,
        psp,
        idempotency,
        ...(deps.shutdownSignal === undefined ? {} : { shutdownSignal: deps.shutdownSignal }),
      }),
      ...refundHandlers({ db: pool, inTransaction: (work) => withTransaction(pool, work), idempotency }),
    },
    // A database outage answers 503 DEPENDENCY_UNAVAILABLE + Retry-After (the kit maps it).
    unavailableRetryAfterSeconds: deps.retryAfterSeconds ?? 1,
    logger: deps.logger,
    metrics: deps.metrics,
    ...(deps.logRequests === undefined ? {} : { logRequests: deps.logRequests }),
    ...(deps.serviceToken === undefined ? {} : { serviceToken: deps.serviceToken }),
    ...(deps.healthChecks === undefined ? {} : { healthChecks: deps.healthChecks }),
  });
}
