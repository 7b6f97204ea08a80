import type { OrderCancelledPayload } from '@harness/contracts';
import { releaseStock, type ReleaseOutcome } from '../reservations/reservationStore.ts';
import type { Queryable } from '@harness/kit';

/**
 * Handles OrderCancelled (link L7): releases the order's reservation. Idempotent: a redelivery
 * finds it released. An order without a reservation gets a RELEASED one built from the event's
 * items, so a reservation request still in flight for the cancelled order cannot take stock.
 */
export async function releaseStockOnOrderCancelled(
  db: Queryable,
  event: OrderCancelledPayload,
): Promise<ReleaseOutcome> {
  return releaseStock(db, event.orderId, event.items);
}
