import { invariantResult as result, type Invariant } from '@harness/chaos';

/**
 * At most one succeeded charge per order (payment.charges only stores succeeded ones), and every
 * confirmed order's charge is one payment holds for that order.
 */
export const atMostOneChargePerOrder: Invariant = {
  name: 'at-most-one-charge-per-order',
  description: 'no order was charged twice; every confirmed order has its charge',
  settles: false,
  async check({ db, sinceIso }) {
    const duplicates = await db('payment').query<{ order_id: string; charges: string[] }>(
      `SELECT order_id::text, array_agg(id ORDER BY created_at) AS charges FROM charges
        WHERE status = 'SUCCEEDED' GROUP BY order_id HAVING count(*) > 1`,
    );
    const confirmed = await db('order').query<{ id: string; charge_id: string | null; total_cents: string }>(
      `SELECT id::text, charge_id, total_cents::text FROM orders WHERE status = 'CONFIRMED' AND created_at >= $1`,
      [sinceIso],
    );
    const charges = await db('payment').query<{ id: string; order_id: string }>(
      'SELECT id, order_id::text FROM charges WHERE order_id = ANY($1::uuid[])',
      [confirmed.rows.map((row) => row.id)],
    );
    const chargeOrder = new Map(charges.rows.map((row) => [row.id, row.order_id]));
    const violations = duplicates.rows.map(
      (row) => `order ${row.order_id} charged ${row.charges.length} times (${row.charges.join(', ')})`,
    );
    for (const order of confirmed.rows) {
      if (Number(order.total_cents) === 0) continue;
      if (order.charge_id === null || chargeOrder.get(order.charge_id) !== order.id) {
        violations.push(
          `confirmed order ${order.id} has no charge of its own at payment (charge_id ${order.charge_id ?? 'null'})`,
        );
      }
    }
    return result(
      'at-most-one-charge-per-order',
      `${confirmed.rows.length} confirmed orders, ${charges.rows.length} of their charges`,
      violations,
    );
  },
};

/** A cancelled order keeps no money: once its audit is done, any charge it had is fully refunded. */
export const cancelledOrdersRefunded: Invariant = {
  name: 'cancelled-orders-refunded',
  description: 'every charge of a cancelled order is refunded once its audit is done',
  settles: true,
  async check({ db, sinceIso }) {
    const cancelled = await db('order').query<{ id: string; saga_step: string }>(
      `SELECT id::text, saga_step FROM orders WHERE status = 'CANCELLED' AND created_at >= $1`,
      [sinceIso],
    );
    const ids = cancelled.rows.map((row) => row.id);
    const charges = await db('payment').query<{
      id: string;
      order_id: string;
      amount_cents: number;
      refunded_cents: number;
    }>('SELECT id, order_id::text, amount_cents, refunded_cents FROM charges WHERE order_id = ANY($1::uuid[])', [ids]);
    const violations: string[] = [];
    const auditing = new Set(cancelled.rows.filter((row) => row.saga_step === 'CHARGE_AUDIT').map((row) => row.id));
    for (const order of auditing) violations.push(`cancelled order ${order} still waits for its charge audit`);
    for (const charge of charges.rows) {
      if (auditing.has(charge.order_id)) continue;
      if (charge.refunded_cents !== charge.amount_cents) {
        violations.push(
          `charge ${charge.id} of cancelled order ${charge.order_id}: ${charge.refunded_cents} of ${charge.amount_cents} refunded`,
        );
      }
    }
    return result(
      'cancelled-orders-refunded',
      `${ids.length} cancelled orders, ${charges.rows.length} charges`,
      violations,
    );
  },
};
