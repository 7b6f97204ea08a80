import type { Logger } from '@harness/kit';
import type { CancellationDetail, CancellationReason, OrderRecord } from '../orders/Order.ts';
import { orderCancelledEvent, orderConfirmedEvent, type OrderEvent } from '../orders/orderEvents.ts';
import type { SqlClient } from '../orders/orderRow.ts';
import { createOrderStore, type SagaLease } from '../orders/orderStore.ts';
import type { SagaMetrics } from './sagaMetrics.ts';

export interface TransitionDeps {
  /** Runs `work` in one database transaction. */
  inTransaction<T>(work: (db: SqlClient) => Promise<T>): Promise<T>;
  /** Writes an event to the transactional outbox, inside the caller's transaction. */
  enqueue(db: SqlClient, event: OrderEvent): Promise<void>;
  metrics: SagaMetrics;
  logger: Logger;
}

/**
 * The terminal transitions of a saga: the status change and its event (OrderConfirmed or
 * OrderCancelled) commit together or not at all, so an event exists exactly when the state does.
 * Both are guarded by the saga lease; `undefined` means the lease was lost and nothing changed.
 */
export function createOrderTransitions(deps: TransitionDeps) {
  function settled(order: OrderRecord, result: string): OrderRecord {
    deps.metrics.outcomes.inc({ result });
    deps.metrics.duration.observe({ result }, (order.updatedAt.getTime() - order.createdAt.getTime()) / 1000);
    // Confirmations are the normal case (debug); cancellations are worth seeing at info.
    if (result === 'CONFIRMED') deps.logger.debug({ orderId: order.id }, 'order confirmed');
    else deps.logger.info({ orderId: order.id, reason: result }, 'order cancelled');
    return order;
  }

  return {
    async confirm(orderId: string, lease: SagaLease, chargeId: string | null): Promise<OrderRecord | undefined> {
      const confirmed = await deps.inTransaction(async (db) => {
        const order = await createOrderStore(db).confirm(orderId, lease, chargeId);
        if (order) await deps.enqueue(db, orderConfirmedEvent(order));
        return order;
      });
      return confirmed && settled(confirmed, 'CONFIRMED');
    },

    async cancel(
      orderId: string,
      lease: SagaLease,
      reason: CancellationReason,
      detail: CancellationDetail,
      auditAfterMs?: number,
    ): Promise<OrderRecord | undefined> {
      const cancelled = await deps.inTransaction(async (db) => {
        const order = await createOrderStore(db).cancel(orderId, lease, reason, detail, auditAfterMs);
        if (order) await deps.enqueue(db, orderCancelledEvent(order, reason));
        return order;
      });
      return cancelled && settled(cancelled, reason);
    },
  };
}

export type OrderTransitions = ReturnType<typeof createOrderTransitions>;
