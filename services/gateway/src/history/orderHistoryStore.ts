import type { GatewayComponents } from '@harness/contracts';
import { AppError, type Queryable } from '@harness/kit';

type PublicOrder = GatewayComponents['schemas']['Order'];
type HistoryItem = GatewayComponents['schemas']['OrderHistoryItem'];
type NotificationKind = HistoryItem['notified'][number];

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

/** The kinds of the e-mails sent about the row's order, in the order they were sent. */
const notifiedColumn = `coalesce((SELECT array_agg(n.kind ORDER BY n.sent_at, n.kind) FROM order_notifications n
  WHERE n.order_id = order_history.order_id), '{}') AS notified`;

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

/**
 * The position a cursor names. The contract's pattern fixes its form; this also refuses a form
 * that names no point in time (30 February, month 13, year 0000, 24:00) with INVALID_CURSOR
 * (422), which PostgreSQL would otherwise refuse as an error of the query.
 */
export function positionOf(cursor: string): HistoryPosition {
  const at = cursor.lastIndexOf('_');
  const createdAt = cursor.slice(0, at);
  const problem = calendarProblem(createdAt);
  if (problem !== undefined) throw new AppError('INVALID_CURSOR', { detail: `after: ${problem}` });
  return { createdAt, orderId: cursor.slice(at + 1) };
}

function calendarProblem(timestamp: string): string | undefined {
  const parts = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(timestamp);
  if (parts === null) return `${timestamp} is not a UTC timestamp`;
  const [year, month, day, hour, minute, second] = parts.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = timestamp.slice(0, 10);
  if (year < 1 || month < 1 || month > 12 || day < 1) return `${date} is not a day of the calendar`;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  if (day > daysInMonth) return `${date} is not a day of the calendar`;
  if (hour > 23 || minute > 59 || second > 59) return `${timestamp.slice(11, 19)} is not a time of day`;
  return undefined;
}

export interface OrderHistoryStore {
  /**
   * The owner's orders, newest first (by creation time, then id), after `after` when given, each
   * with the kinds of the e-mails sent about it.
   */
  listByOwner(ownerId: string, page: { limit: number; after?: HistoryPosition }): Promise<HistoryItem[]>;
  /** One order as the read model holds it (any owner: the order view is not owner-scoped). */
  findById(orderId: string): Promise<PublicOrder | undefined>;
}

/** Reads of the `order_history` read model and its `order_notifications` (the projections write them). */
export function orderHistoryStore(db: Queryable): OrderHistoryStore {
  return {
    async listByOwner(ownerId, { limit, after }) {
      const { rows } = await db.query<HistoryRowRecord & { notified: NotificationKind[] }>({
        name: 'order-history-by-owner',
        text: `SELECT ${columns}, ${notifiedColumn} FROM order_history
               WHERE owner_id = $1 AND ($2::timestamptz IS NULL OR (created_at, order_id) < ($2::timestamptz, $3::uuid))
                 AND items IS NOT NULL AND total_cents IS NOT NULL AND currency IS NOT NULL
               ORDER BY created_at DESC, order_id DESC LIMIT $4`,
        values: [ownerId, after?.createdAt ?? null, after?.orderId ?? null, limit],
      });
      return rows.flatMap((row) => {
        const order = toPublicOrder(row);
        return order === undefined ? [] : [{ ...order, notified: row.notified }];
      });
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
