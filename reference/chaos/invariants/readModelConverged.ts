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

/** One e-mail: as notification recorded it (write side) or as the read model holds it. */
interface NotificationRow {
  order_id: string;
  notification_id: string;
  kind: string;
  sent_at: string;
}

const describeNotification = (row: NotificationRow): string => `${row.kind} ${row.notification_id} of ${row.sent_at}`;

/**
 * The read model's notifications of the given orders against notification's `notifications`:
 * the same e-mails (id, kind, time sent to the millisecond the event carries), none missing, none
 * invented.
 */
async function notificationViolations(
  db: Parameters<Invariant['check']>[0]['db'],
  orderIds: readonly string[],
): Promise<{ sent: number; projected: number; violations: string[] }> {
  const sent = await db('notification').query<NotificationRow>(
    `SELECT order_id::text, id::text AS notification_id, kind,
            to_char(sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS sent_at
       FROM notifications WHERE order_id = ANY($1::uuid[])`,
    [orderIds],
  );
  const read = await db('gateway').query<NotificationRow>(
    `SELECT order_id::text, notification_id::text, kind,
            to_char(sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS sent_at
       FROM order_notifications WHERE order_id = ANY($1::uuid[])`,
    [orderIds],
  );
  const projected = new Map(read.rows.map((row) => [row.notification_id, row]));
  const violations: string[] = [];
  for (const row of sent.rows) {
    const held = projected.get(row.notification_id);
    projected.delete(row.notification_id);
    if (!held) {
      violations.push(`order ${row.order_id}: the read model misses the ${describeNotification(row)}`);
    } else if (describeNotification(held) !== describeNotification(row) || held.order_id !== row.order_id) {
      violations.push(
        `order ${row.order_id}: the read model holds ${describeNotification(held)} (order ${held.order_id}), notification sent ${describeNotification(row)}`,
      );
    }
  }
  for (const row of projected.values()) {
    violations.push(
      `order ${row.order_id}: the read model holds ${describeNotification(row)}, which notification never sent`,
    );
  }
  return { sent: sent.rows.length, projected: read.rows.length, violations };
}

/** The same JSON whatever the key order (jsonb keeps its own). */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );

/**
 * Once the system is quiet, the gateway's order history read model (built only from the order and
 * notification events) equals the write side for every settled order of the scenario: same status,
 * owner, priced lines, total, currency and cancellation reason as order's row, no order in it that
 * order does not have, and the same e-mails (id, kind, time sent) as notification's `notifications`
 * rows of those orders, none missing, none invented. A lost, duplicated-into-a-wrong-state or stuck
 * event shows here.
 */
export const readModelConverged: Invariant = {
  name: 'read-model-converged',
  description:
    "the gateway's order history read model equals the order service's orders and the notification service's e-mails once the system is quiet",
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
    const notifications = await notificationViolations(
      db,
      written.rows.map((order) => order.id),
    );
    violations.push(...notifications.violations);
    return result(
      'read-model-converged',
      `${written.rows.length} settled orders, ${read.rows.length} in the read model; ` +
        `${notifications.sent} e-mails sent, ${notifications.projected} in the read model`,
      violations,
    );
  },
};
