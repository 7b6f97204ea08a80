import { AppError } from '@harness/kit';
import type { Queryable } from '@harness/kit';
import type { LineItem } from './lineItems.ts';
import type { Reservation } from './Reservation.ts';
import { findReservation, releaseStock, reserveStock } from './reservationStore.ts';

/**
 * PUT /reservations/{orderId}: the new or existing reservation, or the contract's problem
 * (404 UNKNOWN_PRODUCT, 409 OUT_OF_STOCK, 422 RESERVATION_MISMATCH).
 */
export async function reserveStockForOrder(
  db: Queryable,
  orderId: string,
  items: readonly LineItem[],
): Promise<Reservation> {
  const outcome = await reserveStock(db, orderId, items);
  switch (outcome.kind) {
    case 'reserved':
    case 'existing':
      return outcome.reservation;
    case 'mismatch':
      throw new AppError('RESERVATION_MISMATCH', {
        detail: `Order ${orderId} already has a reservation with other items.`,
      });
    case 'unknown-product':
      throw new AppError('UNKNOWN_PRODUCT', {
        detail: `No product ${outcome.productId}.`,
        extensions: { productId: outcome.productId },
      });
    case 'out-of-stock':
      throw new AppError('OUT_OF_STOCK', {
        detail: `Requested ${outcome.requested}, available ${outcome.available}.`,
        extensions: { productId: outcome.productId },
      });
  }
}

/** POST /reservations/{orderId}/release: the released reservation, or 404 RESERVATION_NOT_FOUND. */
export async function releaseStockOfOrder(db: Queryable, orderId: string): Promise<Reservation> {
  const outcome = await releaseStock(db, orderId);
  if (outcome.kind === 'not-found') throw reservationNotFound(orderId);
  return outcome.reservation;
}

/** GET /reservations/{orderId}. */
export async function getReservationOfOrder(db: Queryable, orderId: string): Promise<Reservation> {
  const reservation = await findReservation(db, orderId);
  if (reservation === undefined) throw reservationNotFound(orderId);
  return reservation;
}

function reservationNotFound(orderId: string): AppError {
  return new AppError('RESERVATION_NOT_FOUND', { detail: `Order ${orderId} has no reservation.` });
}
