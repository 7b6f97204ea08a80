import { createServiceApp, type HealthCheck, type KitMetrics, type Logger } from '@harness/kit';
import type { FastifyInstance } from 'fastify';
import { chargeHandlers } from './charges/chargeHandlers.ts';
import type { IdempotencySettings } from './idempotency/runIdempotently.ts';
import { paymentSpec } from './paymentSpec.ts';
import type { SimulatedPsp } from './psp/simulatedPsp.ts';
import type { InTransaction } from './refunds/createRefund.ts';
import { refundHandlers } from './refunds/refundHandlers.ts';
import type { Queryable } from '@harness/kit';

export interface PaymentAppDeps {
  /** The payment database (a pg Pool). */
  db: Queryable;
  /** Runs work in one transaction of that database. */
  inTransaction: InTransaction;
  psp: SimulatedPsp;
  idempotency: IdempotencySettings;
  logger: Logger;
  metrics: KitMetrics;
  /** Required as X-Service-Token on every operation the spec secures; unset only in tests. */
  serviceToken?: string;
  healthChecks?: Readonly<Record<string, HealthCheck>>;
  /** Aborted at shutdown: slow authorisations in flight give up (their keys are freed). */
  shutdownSignal?: AbortSignal;
}

/** The payment service's HTTP app: charges and refunds with Idempotency-Key semantics. */
export function buildApp(deps: PaymentAppDeps): FastifyInstance {
  const { db, psp, idempotency, inTransaction } = deps;
  return createServiceApp({
    name: 'payment',
    spec: paymentSpec,
    handlers: {
      ...chargeHandlers({
        db,
        psp,
        idempotency,
        ...(deps.shutdownSignal === undefined ? {} : { shutdownSignal: deps.shutdownSignal }),
      }),
      ...refundHandlers({ db, inTransaction, idempotency }),
    },
    logger: deps.logger,
    metrics: deps.metrics,
    ...(deps.serviceToken === undefined ? {} : { serviceToken: deps.serviceToken }),
    ...(deps.healthChecks === undefined ? {} : { healthChecks: deps.healthChecks }),
  });
}
