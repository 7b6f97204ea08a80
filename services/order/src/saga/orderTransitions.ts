import {
  changeWithOutbox,
  mutantActive,
  publishBypassingOutbox,
  type Logger,
  type MessagePublisher,
} from '@harness/kit';
import type { CancellationDetail, CancellationReason, OrderRecord } from '../orders/Order.ts';
import { orderCancelledEvent, orderConfirmedEvent, toOutboxEvent, type OrderEvent } from '../orders/orderEvents.ts';
import { toOrderRecord, type OrderRow, type SqlClient } from '../orders/orderRow.ts';
import { cancelStatement, confirmStatement, type OrderChange, type SagaLease } from '../orders/orderStore.ts';
import type { SagaMetrics } from './sagaMetrics.ts';

export interface TransitionDeps {
  /** The order database (a pool): each transition is one statement. */
  db: SqlClient;
  metrics: SagaMetrics;
  logger: Logger;
  /** The broker; used only by the outbox-bypassed mutant (events are otherwise the relay's). */
  broker?: MessagePublisher;
}

/**
 * The terminal transitions of a saga: the status change and its event (OrderConfirmed or
 * OrderCancelled) commit together or not at all, so an event exists exactly when the state does.
 * Each is one SQL statement (the update and the outbox insert in one round trip). Both are
 * guarded by the saga lease; `undefined` means the lease was lost and nothing changed.
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

  /** The change and its event; the event's `occurredAt` is the row's new `updated_at`. */
  async function changeWithEvent(change: OrderChange, event: OrderEvent): Promise<OrderRecord | undefined> {
    // Mutant outbox-bypassed (harness mutate only): the change alone, then its event straight to the broker.
    if (mutantActive('outbox-bypassed') && deps.broker) return changeThenPublish(change, event, deps.broker);
    const { rows } = await changeWithOutbox<OrderRow>(deps.db, change, toOutboxEvent(event), {
      payloadFromRow: { occurredAt: 'occurred_at' },
    });
    return rows[0] === undefined ? undefined : toOrderRecord(rows[0]);
  }

  /** The dual write the outbox exists to avoid: an event not published now is lost. */
  async function changeThenPublish(
    change: OrderChange,
    event: OrderEvent,
    broker: MessagePublisher,
  ): Promise<OrderRecord | undefined> {
    const { rows } = await deps.db.query<OrderRow & { occurred_at: string }>(change);
    const row = rows[0];
    if (row === undefined) return undefined;
    const published = { ...toOutboxEvent(event), payload: { ...event.payload, occurredAt: row.occurred_at } };
    publishBypassingOutbox(broker, published).catch((error: unknown) =>
      deps.logger.warn({ err: error, eventId: event.payload.eventId }, 'event published without the outbox lost'),
    );
    return toOrderRecord(row);
  }

  return {
    async confirm(order: OrderRecord, lease: SagaLease, chargeId: string | null): Promise<OrderRecord | undefined> {
      const confirmed = await changeWithEvent(confirmStatement(order.id, lease, chargeId), orderConfirmedEvent(order));
      return confirmed && settled(confirmed, 'CONFIRMED');
    },

    async cancel(
      order: OrderRecord,
      lease: SagaLease,
      reason: CancellationReason,
      detail: CancellationDetail,
      auditAfterMs?: number,
    ): Promise<OrderRecord | undefined> {
      const cancelled = await changeWithEvent(
        cancelStatement(order.id, lease, reason, detail, auditAfterMs),
        orderCancelledEvent(order, reason),
      );
      return cancelled && settled(cancelled, reason);
    },
  };
}

export type OrderTransitions = ReturnType<typeof createOrderTransitions>;
