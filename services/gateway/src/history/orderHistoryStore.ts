import type { GatewayComponents } from '@harness/contracts';
import type { Queryable } from '@harness/kit';

type PublicOrder = GatewayComponents['schemas']['Order'];

interface HistoryRowRecord {
  order_id: string;
  status: PublicOrder['status'];
  items: PublicOrder['items'] | null;
  total_cents: string | number | null;
  currency: string | null;
  cancellation_reason: NonNullable<PublicOrder['cancellationReason']> | null;
  created_at: Date;
  updated_at: Date;
}

const columns = 'order_id, status, items, total_cents, currency, cancellation_reason, created_at, updated_at';

/** A row as the public Order; undefined for a row whose events did not carry the priced lines. */
function toPublicOrder(row: HistoryRowRecord): PublicOrder | undefined {
  if (row.items === null || row.total_cents === null || row.currency === null) return undefined;
  return {
    id: row.order_id,
    status: row.status,
    items: row.items,
    totalCents: Number(row.total_cents),
    currency: row.currency,
    ...(row.cancellation_reason === null ? {} : { cancellationReason: row.cancellation_reason }),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Where a page ended: the last order's creation time and id (ties on the time are ordered by id). */
export interface HistoryPosition {
  createdAt: string;
  orderId: string;
}

/** `next` / `after` of GET /orders: `<createdAt>_<orderId>`. */
export const cursorOf = (position: HistoryPosition): string => `${position.createdAt}_${position.orderId}`;

export function positionOf(cursor: string): HistoryPosition {
  const at = cursor.lastIndexOf('_');
  return { createdAt: cursor.slice(0, at), orderId: cursor.slice(at + 1) };
}

export interface OrderHistoryStore {
  /** The owner's orders, newest first (by creation time, then id), after `after` when given. */
  listByOwner(ownerId: string, page: { limit: number; after?: HistoryPosition }): Promise<PublicOrder[]>;
  /** One order as the read model holds it (any owner: the order view is not owner-scoped). */
  findById(orderId: string): Promise<PublicOrder | undefined>;
}

/** Reads of the `order_history` read model (the projection writes it). */
export function orderHistoryStore(db: Queryable): OrderHistoryStore {
  return {
    async listByOwner(ownerId, { limit, after }) {
      const { rows } = await db.query<HistoryRowRecord>({
        name: 'order-history-by-owner',
        text: `SELECT ${columns} FROM order_history
               WHERE owner_id = $1 AND ($2::timestamptz IS NULL OR (created_at, order_id) < ($2::timestamptz, $3::uuid))
                 AND items IS NOT NULL AND total_cents IS NOT NULL AND currency IS NOT NULL
               ORDER BY created_at DESC, order_id DESC LIMIT $4`,
        values: [ownerId, after?.createdAt ?? null, after?.orderId ?? null, limit],
      });
      return rows.map(toPublicOrder).filter((order): order is PublicOrder => order !== undefined);
    },
    async findById(orderId) {
      const { rows } = await db.query<HistoryRowRecord>({
        name: 'order-history-by-id',
        text: `SELECT ${columns} FROM order_history WHERE order_id = $1`,
        values: [orderId],
      });
      return rows[0] === undefined ? undefined : toPublicOrder(rows[0]);
    },
  };
}
