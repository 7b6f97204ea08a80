import type { Queryable } from '@harness/kit';
import { mergeLineItems, type LineItem } from './lineItems.ts';
import { toReservation, type Reservation, type ReservationRow } from './Reservation.ts';

export type ReserveOutcome =
  | { kind: 'reserved'; reservation: Reservation }
  | { kind: 'existing'; reservation: Reservation }
  | { kind: 'mismatch'; reservation: Reservation }
  | { kind: 'unknown-product'; productId: string }
  | { kind: 'out-of-stock'; productId: string; requested: number; available: number };

export type ReleaseOutcome =
  | { kind: 'released'; reservation: Reservation }
  | { kind: 'already-released'; reservation: Reservation }
  | { kind: 'tombstoned'; reservation: Reservation }
  | { kind: 'not-found' };

interface ReserveRow extends ReservationRow {
  outcome: 'RESERVED' | 'EXISTING' | 'MISMATCH' | 'UNKNOWN_PRODUCT' | 'OUT_OF_STOCK';
  product_id: string | null;
  requested: number | null;
  in_stock: number | null;
}

interface ReleaseRow extends ReservationRow {
  outcome: 'RELEASED' | 'ALREADY_RELEASED' | 'TOMBSTONED' | 'NOT_FOUND';
}

const RESERVE_SQL =
  'SELECT outcome, product_id, requested, in_stock, status, items, created_at, updated_at FROM reserve_stock($1, $2, $3, $4, $5)';
const RELEASE_SQL = 'SELECT outcome, status, items, created_at, updated_at FROM release_stock($1, $2, $3)';
const FIND_SQL = 'SELECT status, items, created_at, updated_at FROM reservations WHERE order_id = $1';

/** Reserves every item for the order or nothing (one round trip; see 002_reserve_stock.sql). */
export async function reserveStock(
  db: Queryable,
  orderId: string,
  items: readonly LineItem[],
): Promise<ReserveOutcome> {
  const merged = mergeLineItems(items);
  const stored = items.map((item) => ({ productId: item.productId, quantity: item.quantity }));
  const { rows } = await db.query<ReserveRow>({
    name: 'reserve-stock',
    text: RESERVE_SQL,
    values: [orderId, JSON.stringify(stored), merged.key, merged.productIds, merged.quantities],
  });
  const row = single(rows, 'reserve_stock');
  switch (row.outcome) {
    case 'RESERVED':
      return { kind: 'reserved', reservation: toReservation(orderId, row) };
    case 'EXISTING':
      return { kind: 'existing', reservation: toReservation(orderId, row) };
    case 'MISMATCH':
      return { kind: 'mismatch', reservation: toReservation(orderId, row) };
    case 'UNKNOWN_PRODUCT':
      return { kind: 'unknown-product', productId: row.product_id ?? '' };
    case 'OUT_OF_STOCK':
      return {
        kind: 'out-of-stock',
        productId: row.product_id ?? '',
        requested: row.requested ?? 0,
        available: row.in_stock ?? 0,
      };
  }
}

/**
 * Releases the stock held for the order (idempotent). With `tombstoneItems`, an order without a
 * reservation gets a RELEASED one, so a reservation still in flight for it cannot take stock later.
 */
export async function releaseStock(
  db: Queryable,
  orderId: string,
  tombstoneItems?: readonly LineItem[],
): Promise<ReleaseOutcome> {
  const tombstone = tombstoneItems === undefined ? null : tombstoneItems;
  const { rows } = await db.query<ReleaseRow>({
    name: 'release-stock',
    text: RELEASE_SQL,
    values: [
      orderId,
      tombstone === null
        ? null
        : JSON.stringify(tombstone.map((i) => ({ productId: i.productId, quantity: i.quantity }))),
      tombstone === null ? null : mergeLineItems(tombstone).key,
    ],
  });
  const row = single(rows, 'release_stock');
  switch (row.outcome) {
    case 'RELEASED':
      return { kind: 'released', reservation: toReservation(orderId, row) };
    case 'ALREADY_RELEASED':
      return { kind: 'already-released', reservation: toReservation(orderId, row) };
    case 'TOMBSTONED':
      return { kind: 'tombstoned', reservation: toReservation(orderId, row) };
    case 'NOT_FOUND':
      return { kind: 'not-found' };
  }
}

export async function findReservation(db: Queryable, orderId: string): Promise<Reservation | undefined> {
  const { rows } = await db.query<ReservationRow>({ name: 'find-reservation', text: FIND_SQL, values: [orderId] });
  const row = rows[0];
  return row === undefined ? undefined : toReservation(orderId, row);
}

function single<Row>(rows: readonly Row[], fn: string): Row {
  const row = rows[0];
  if (row === undefined) throw new Error(`${fn} returned no row`);
  return row;
}
