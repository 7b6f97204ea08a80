import { invariantResult as result, type Invariant } from '@harness/chaos';

interface WriteRow {
  id: string;
  status: string;
  owner_id: string | null;
  total_cents: string;
  currency: string;
  items: unknown;
  cancellation_reason: string | null;
}

type ReadRow = Omit<WriteRow, 'id'> & { order_id: string };

/** The same JSON whatever the key order (jsonb keeps its own). */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );

/**
 * Once the system is quiet, the gateway's order history read model (built only from the order
 * events) equals the write side for every settled order of the scenario: same status, owner,
 * priced lines, total, currency and cancellation reason; no order in it that order does not have.
 * A lost, duplicated-into-a-wrong-state or stuck event shows here.
 */
export const readModelConverged: Invariant = {
  name: 'read-model-converged',
  description: "the gateway's order history read model equals the order service's orders once the system is quiet",
  settles: true,
  async check({ db, sinceIso }) {
    const written = await db('order').query<WriteRow>(
      `SELECT id::text, status, owner_id, total_cents::text, currency, items, cancellation_reason
         FROM orders WHERE created_at >= $1 AND status <> 'PENDING'`,
      [sinceIso],
    );
    const read = await db('gateway').query<ReadRow>(
      `SELECT order_id::text, status, owner_id, total_cents::text, currency, items, cancellation_reason
         FROM order_history WHERE created_at >= $1`,
      [sinceIso],
    );
    const projected = new Map(read.rows.map((row) => [row.order_id, row]));
    const violations: string[] = [];
    for (const order of written.rows) {
      const row = projected.get(order.id);
      projected.delete(order.id);
      if (!row) {
        violations.push(`${order.status} order ${order.id} is missing from the read model`);
        continue;
      }
      const differs = (['status', 'owner_id', 'total_cents', 'currency', 'cancellation_reason'] as const).filter(
        (column) => row[column] !== order[column],
      );
      if (canonical(row.items) !== canonical(order.items)) differs.push('items' as never);
      if (differs.length > 0)
        violations.push(
          `order ${order.id}: read model differs in ${differs.join(', ')} (${differs.map((c) => `${String(row[c as keyof ReadRow])} vs ${String(order[c as keyof WriteRow])}`).join('; ')})`,
        );
    }
    for (const [orderId, row] of projected) {
      violations.push(`the read model holds ${row.status} order ${orderId}, which order does not have as settled`);
    }
    return result(
      'read-model-converged',
      `${written.rows.length} settled orders, ${read.rows.length} in the read model`,
      violations,
    );
  },
};
