import { invariantResult as result, type Invariant, type Queryable } from '@harness/chaos';

/** available + reserved per product, the quantity stock conservation keeps constant. */
export async function stockTotals(inventoryDb: Queryable): Promise<Map<string, number>> {
  const { rows } = await inventoryDb.query<{ id: string; total: string }>(
    'SELECT id, (available + reserved)::text AS total FROM products',
  );
  return new Map(rows.map((row) => [row.id, Number(row.total)]));
}

interface ReservationRow {
  order_id: string;
  status: string;
  items: Array<{ productId: string; quantity: number }>;
}

/**
 * Stock is conserved and nothing leaks: available + reserved per product equals what it was when
 * the scenario started; `reserved` equals the quantities of the RESERVED reservations; no
 * cancelled order still holds a reservation and every confirmed order holds one.
 */
export const stockConserved: Invariant = {
  name: 'stock-conserved',
  description: 'available + reserved is unchanged per product; reservations match orders',
  settles: true,
  async check({ db, sinceIso, baseline }) {
    const violations: string[] = [];
    const totals = await stockTotals(db('inventory'));
    const before = baseline.stock as ReadonlyMap<string, number> | undefined;
    if (!before) return result('stock-conserved', 'no stock baseline', ['the scenario took no stock baseline']);
    for (const [product, was] of before) {
      const now = totals.get(product);
      if (now !== was) violations.push(`product ${product}: available + reserved was ${was}, is ${now ?? 'missing'}`);
    }
    const held = await db('inventory').query<{ id: string; reserved: number; held: string }>(
      `SELECT p.id, p.reserved, COALESCE(sum(i.quantity), 0)::text AS held
         FROM products p
         LEFT JOIN reservations r ON r.status = 'RESERVED'
         LEFT JOIN LATERAL jsonb_to_recordset(r.items) AS i("productId" text, quantity integer) ON i."productId" = p.id
        GROUP BY p.id, p.reserved`,
    );
    for (const row of held.rows) {
      if (Number(row.held) !== row.reserved)
        violations.push(`product ${row.id}: reserved ${row.reserved} but reservations hold ${row.held}`);
    }
    const reservations = await db('inventory').query<ReservationRow>(
      'SELECT order_id::text, status, items FROM reservations WHERE created_at >= $1',
      [sinceIso],
    );
    const orders = await db('order').query<{ id: string; status: string; created_at: Date }>(
      'SELECT id::text, status, created_at FROM orders WHERE created_at >= $1 OR id = ANY($2::uuid[])',
      [sinceIso, reservations.rows.map((row) => row.order_id)],
    );
    const reservationOf = new Map(reservations.rows.map((row) => [row.order_id, row]));
    const statusOf = new Map(orders.rows.map((row) => [row.id, row.status]));
    for (const reservation of reservations.rows) {
      const status = statusOf.get(reservation.order_id);
      if (reservation.status === 'RESERVED' && (status === 'CANCELLED' || status === undefined)) {
        violations.push(
          `stock leaked: order ${reservation.order_id} is ${status ?? 'unknown'} but still holds its reservation`,
        );
      }
    }
    for (const order of orders.rows) {
      if (order.created_at < new Date(sinceIso)) continue;
      if (order.status === 'CONFIRMED' && reservationOf.get(order.id)?.status !== 'RESERVED') {
        violations.push(`confirmed order ${order.id} holds no reservation`);
      }
    }
    return result(
      'stock-conserved',
      `${totals.size} products, ${reservations.rows.length} reservations, ${orders.rows.length} orders`,
      violations,
    );
  },
};
