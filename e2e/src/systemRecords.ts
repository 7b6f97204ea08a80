import type { ServiceDatabases } from './serviceDatabases.ts';

export interface OrderRow {
  id: string;
  idempotency_key: string;
  status: 'PENDING' | 'CONFIRMED' | 'CANCELLED';
  cancellation_reason: string | null;
  total_cents: string;
  charge_id: string | null;
  items: Array<{ productId: string; quantity: number }>;
}

export interface ChargeRow {
  id: string;
  order_id: string;
  amount_cents: number;
  refunded_cents: number;
}

export interface StockRow {
  available: number;
  reserved: number;
}

export interface NotificationRow {
  order_id: string;
  kind: 'ORDER_CONFIRMED' | 'ORDER_CANCELLED';
  subject: string;
  recipient: string;
}

/** What the databases hold about orders, charges, stock and notifications: the flows' evidence. */
export function systemRecords(databases: ServiceDatabases) {
  return {
    /** Every order placed with one of these Idempotency-Keys (one row per key at most). */
    ordersWithKeys(keys: readonly string[]): Promise<OrderRow[]> {
      return databases.query<OrderRow>(
        'order',
        `SELECT id, idempotency_key, status, cancellation_reason, total_cents::text, charge_id, items
           FROM orders WHERE idempotency_key = ANY($1::text[]) ORDER BY created_at`,
        [[...keys]],
      );
    },

    /** Orders whose items include this product, created at or after `since`. */
    ordersOfProductSince(productId: string, since: Date): Promise<OrderRow[]> {
      return databases.query<OrderRow>(
        'order',
        `SELECT id, idempotency_key, status, cancellation_reason, total_cents::text, charge_id, items
           FROM orders
          WHERE created_at >= $2 AND items @> jsonb_build_array(jsonb_build_object('productId', $1::text))
          ORDER BY created_at`,
        [productId, since],
      );
    },

    /** Succeeded charges payment holds for these orders (a declined attempt stores no charge). */
    chargesOf(orderIds: readonly string[]): Promise<ChargeRow[]> {
      return databases.query<ChargeRow>(
        'payment',
        'SELECT id, order_id::text, amount_cents, refunded_cents FROM charges WHERE order_id = ANY($1::uuid[])',
        [[...orderIds]],
      );
    },

    async reservationStatus(orderId: string): Promise<'RESERVED' | 'RELEASED' | undefined> {
      const rows = await databases.query<{ status: 'RESERVED' | 'RELEASED' }>(
        'inventory',
        'SELECT status FROM reservations WHERE order_id = $1',
        [orderId],
      );
      return rows[0]?.status;
    },

    async stockOf(productId: string): Promise<StockRow> {
      const rows = await databases.query<StockRow>(
        'inventory',
        'SELECT available, reserved FROM products WHERE id = $1',
        [productId],
      );
      const row = rows[0];
      if (!row) throw new Error(`inventory has no product ${productId}`);
      return row;
    },

    products(): Promise<Array<{ id: string; name: string; price_cents: number; available: number }>> {
      return databases.query('inventory', 'SELECT id, name, price_cents, available FROM products ORDER BY id');
    },

    notificationsOf(orderId: string): Promise<NotificationRow[]> {
      return databases.query<NotificationRow>(
        'notification',
        'SELECT order_id::text, kind, subject, recipient FROM notifications WHERE order_id = $1 ORDER BY sent_at',
        [orderId],
      );
    },

    /**
     * Puts units of a product back on the shelf (a restock: available grows, nothing else moves),
     * for a flow that needs a scarce product an earlier run sold out.
     */
    async restock(productId: string, units: number): Promise<void> {
      await databases.query('inventory', 'UPDATE products SET available = available + $2 WHERE id = $1', [
        productId,
        units,
      ]);
    },
  };
}

export type SystemRecords = ReturnType<typeof systemRecords>;
