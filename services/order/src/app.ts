import {
  createServiceApp,
  mutantActive,
  type HealthCheck,
  type KitMetrics,
  type Logger,
  type MessagePublisher,
  type Pool,
  type ResilienceEventLog,
} from '@harness/kit';
import type { FastifyInstance } from 'fastify';
import { createProductCatalog } from './catalog/productCatalog.ts';
import type { InventoryGateway } from './clients/inventoryGateway.ts';
import type { PaymentGateway } from './clients/paymentGateway.ts';
import { orderHandlers } from './http/orderHandlers.ts';
import type { SqlClient } from './orders/orderRow.ts';
import { createOrderStore } from './orders/orderStore.ts';
import { orderSpec } from './orderSpec.ts';
import { createChargeAudit } from './saga/chargeAudit.ts';
import { createOrderTransitions } from './saga/orderTransitions.ts';
import { createPlaceOrder } from './saga/placeOrder.ts';
import { createRecoveryWorker } from './saga/recoveryWorker.ts';
import { createSagaMetrics } from './saga/sagaMetrics.ts';
import { createSagaRunner } from './saga/sagaRunner.ts';
import type { SagaSettings } from './saga/sagaSettings.ts';
import { createSagaTracker } from './saga/sagaTracker.ts';

export interface OrderAppDeps {
  pool: Pool;
  inventory: InventoryGateway;
  payment: PaymentGateway;
  settings: SagaSettings;
  /** How long the catalog (prices) fetched from inventory is reused. */
  productCacheTtlMs: number;
  logger: Logger;
  metrics: KitMetrics;
  resilienceEvents?: ResilienceEventLog;
  /** Required as X-Service-Token on every operation; unset only in tests. */
  serviceToken?: string;
  healthChecks?: Readonly<Record<string, HealthCheck>>;
  /** Run the recovery worker while the app is up (default true). */
  recoveryWorker?: boolean;
  /** Fastify's per-request log lines (default true). */
  logRequests?: boolean;
  /** The broker; used only by the outbox-bypassed mutant (events otherwise leave through the outbox). */
  broker?: MessagePublisher;
}

/** At most this long, closing waits for background sagas; the rest are resumed after their lease. */
const SHUTDOWN_DRAIN_MS = 5_000;

/**
 * The order service's HTTP app and its saga machinery. Never listens (main.ts does). The recovery
 * worker starts when the app is ready and stops when it closes; closing also waits (bounded) for
 * sagas still running in the background.
 */
export function buildApp(deps: OrderAppDeps): FastifyInstance {
  const { pool, settings, logger } = deps;
  const store = createOrderStore(pool);
  const sagaMetrics = createSagaMetrics(deps.metrics.registry);
  const transitions = createOrderTransitions({
    db: pool as SqlClient,
    metrics: sagaMetrics,
    logger,
    ...(deps.broker === undefined ? {} : { broker: deps.broker }),
  });
  const runner = createSagaRunner({
    store,
    transitions,
    inventory: deps.inventory,
    payment: deps.payment,
    settings,
    logger,
  });
  const worker = createRecoveryWorker({
    store,
    runner,
    auditCharges: createChargeAudit({ store, payment: deps.payment, settings, metrics: sagaMetrics, logger }),
    settings,
    metrics: sagaMetrics,
    logger,
  });
  const sagas = createSagaTracker();
  const catalog = createProductCatalog(deps.inventory, {
    ttlMs: deps.productCacheTtlMs,
    refetchMissingAfterMs: Math.min(1_000, deps.productCacheTtlMs),
  });
  const placeOrder = createPlaceOrder({ store, catalog, runner, settings, logger, track: (saga) => sagas.track(saga) });

  const app = createServiceApp({
    name: 'order',
    spec: orderSpec,
    handlers: orderHandlers({ store, placeOrder }),
    logger,
    metrics: deps.metrics,
    ...(deps.resilienceEvents === undefined ? {} : { resilienceEvents: deps.resilienceEvents }),
    ...(deps.serviceToken === undefined ? {} : { serviceToken: deps.serviceToken }),
    ...(deps.healthChecks === undefined ? {} : { healthChecks: deps.healthChecks }),
    ...(deps.logRequests === undefined ? {} : { logRequests: deps.logRequests }),
  });
  app.addHook('onReady', async () => {
    // Mutant recovery-worker-off (harness mutate only): interrupted sagas are never resumed.
    if ((deps.recoveryWorker ?? true) && !mutantActive('recovery-worker-off')) worker.start();
  });
  app.addHook('onClose', async () => {
    await worker.stop();
    await sagas.drain(Math.min(settings.leaseMs, SHUTDOWN_DRAIN_MS));
  });
  return app;
}
