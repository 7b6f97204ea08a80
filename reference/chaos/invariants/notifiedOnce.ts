import { invariantResult as result, type Invariant } from '@harness/chaos';

/**
 * Every confirmed order got exactly one confirmation e-mail, and no order that is not confirmed
 * got one (a duplicate or phantom delivery that slipped past the consumer's dedupe).
 */
export const confirmedNotifiedOnce: Invariant = {
  name: 'confirmed-notified-once',
  description: 'every confirmed order is notified exactly once; no other order is told it was confirmed',
  settles: true,
  async check({ db, sinceIso }) {
    const orders = await db('order').query<{ id: string; status: string }>(
      'SELECT id::text, status FROM orders WHERE created_at >= $1',
      [sinceIso],
    );
    const sent = await db('notification').query<{ order_id: string; sent: string }>(
      `SELECT order_id::text, count(*)::text AS sent FROM notifications
        WHERE kind = 'ORDER_CONFIRMED' AND order_id = ANY($1::uuid[]) GROUP BY order_id`,
      [orders.rows.map((row) => row.id)],
    );
    const sentFor = new Map(sent.rows.map((row) => [row.order_id, Number(row.sent)]));
    const violations: string[] = [];
    for (const order of orders.rows) {
      const count = sentFor.get(order.id) ?? 0;
      if (order.status === 'CONFIRMED' && count !== 1)
        violations.push(`confirmed order ${order.id} notified ${count} times`);
      if (order.status !== 'CONFIRMED' && count > 0)
        violations.push(`${order.status} order ${order.id} was notified as confirmed`);
    }
    const confirmed = orders.rows.filter((row) => row.status === 'CONFIRMED').length;
    return result('confirmed-notified-once', `${confirmed} confirmed of ${orders.rows.length} orders`, violations);
  },
};
