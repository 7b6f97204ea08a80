import { randomUUID } from 'node:crypto';
import { inSpan, SpanKind, type Logger } from '@harness/kit';
import type { OrderRecord } from '../orders/Order.ts';
import type { OrderStore, SagaLease } from '../orders/orderStore.ts';
import type { SagaMetrics } from './sagaMetrics.ts';
import type { SagaRunner } from './sagaRunner.ts';
import type { SagaSettings } from './sagaSettings.ts';

export interface RecoveryWorkerDeps {
  store: OrderStore;
  runner: SagaRunner;
  auditCharges: (order: OrderRecord, lease: SagaLease) => Promise<void>;
  settings: SagaSettings;
  metrics: SagaMetrics;
  logger: Logger;
}

export interface RecoveryWorker {
  /** Claims and settles what is due now (one batch); resolves with the number of rows claimed. */
  runOnce(): Promise<number>;
  start(): void;
  /** Stops polling and waits for the batch in progress. */
  stop(): Promise<void>;
}

/**
 * Settles sagas nobody is running: rows that are due (next_attempt_at passed) and not under a
 * live lease, claimed with FOR UPDATE SKIP LOCKED so that several instances share the work and no
 * saga runs twice at once. A saga is resumed from its step, or compensated and cancelled (TIMEOUT)
 * once past its attempts or deadline; cancelled orders with an uncertain charge get their audit.
 */
export function createRecoveryWorker(deps: RecoveryWorkerDeps): RecoveryWorker {
  const { store, runner, settings, metrics, logger } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  async function settle(order: OrderRecord, lease: SagaLease): Promise<void> {
    if (order.status === 'CANCELLED' && order.sagaStep === 'CHARGE_AUDIT') {
      metrics.recoveries.inc({ action: 'audit' });
      return deps.auditCharges(order, lease);
    }
    if (order.status !== 'PENDING') {
      await store.finishAudit(order.id, lease, order.sagaStep, null);
      return;
    }
    if (order.attempts > settings.maxAttempts || runner.pastDeadline(order)) {
      metrics.recoveries.inc({ action: 'compensate' });
      await runner.compensate(order, lease, `${order.attempts - 1} attempts, deadline ${settings.deadlineMs} ms`);
      return;
    }
    metrics.recoveries.inc({ action: 'resume' });
    logger.info({ orderId: order.id, step: order.sagaStep, attempts: order.attempts }, 'resuming saga');
    await runner.run(order, lease, 'recovery');
  }

  async function runOnce(): Promise<number> {
    const lease: SagaLease = { token: randomUUID(), durationMs: settings.leaseMs };
    const claimed = await store.claimDue(lease, settings.recoveryBatchSize);
    // Each recovered order is a trace of its own, its steps' calls and SQL inside it.
    const results = await Promise.allSettled(
      claimed.map((order) =>
        inSpan(
          'saga recover',
          { kind: SpanKind.INTERNAL, attributes: { 'order.id': order.id, 'saga.step': order.sagaStep } },
          () => settle(order, lease),
        ),
      ),
    );
    results.forEach((result, index) => {
      if (result.status === 'rejected') {
        // The lease expires and a later poll tries again.
        logger.error({ err: result.reason, orderId: claimed[index]?.id }, 'recovery of an order failed');
      }
    });
    return claimed.length;
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce()
        .catch((error: unknown) => {
          logger.error({ err: error }, 'recovery poll failed');
          return 0;
        })
        .then((claimed) => schedule(claimed >= settings.recoveryBatchSize ? 0 : settings.recoveryIntervalMs));
    }, delayMs);
  }

  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(settings.recoveryIntervalMs);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
