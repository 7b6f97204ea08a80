import { invariantResult as result, type Invariant } from '@harness/chaos';
import { notificationOutboxViolations } from './notificationOutbox.ts';

/** Every order of the scenario reached a terminal state (CONFIRMED or CANCELLED) within the bound. */
export const ordersTerminal: Invariant = {
  name: 'orders-terminal',
  description: 'no order is left PENDING',
  settles: true,
  async check({ db, sinceIso }) {
    const { rows } = await db('order').query<{ id: string; status: string; saga_step: string; age_ms: string }>(
      `SELECT id::text, status, saga_step, (EXTRACT(EPOCH FROM now() - created_at) * 1000)::bigint::text AS age_ms
         FROM orders WHERE created_at >= $1`,
      [sinceIso],
    );
    const pending = rows.filter((row) => row.status === 'PENDING');
    return result(
      'orders-terminal',
      `${rows.length} orders`,
      pending.map((row) => `order ${row.id} still PENDING at step ${row.saga_step}, ${row.age_ms} ms old`),
    );
  },
};

/**
 * The outbox is the only way events leave: every terminal order has exactly its one event
 * (OrderConfirmed or OrderCancelled) in order's outbox, a pending order none, every e-mail
 * notification recorded its one NotificationSent in notification's outbox, and no row of either
 * is left unpublished.
 */
export const outboxPublished: Invariant = {
  name: 'outbox-published',
  description:
    "every terminal order has its one event in order's outbox, every e-mail its one NotificationSent in notification's, and every outbox row is published",
  settles: true,
  async check({ db, sinceIso }) {
    const unpublished = await db('order').query<{
      event_id: string;
      message_type: string;
      attempts: number;
      last_error: string | null;
    }>(
      'SELECT event_id::text, message_type, attempts, last_error FROM outbox WHERE published_at IS NULL ORDER BY created_at LIMIT 20',
    );
    const events = await db('order').query<{ id: string; status: string; confirmed: string; cancelled: string }>(
      `SELECT o.id::text, o.status,
              count(x.event_id) FILTER (WHERE x.message_type = 'OrderConfirmed')::text AS confirmed,
              count(x.event_id) FILTER (WHERE x.message_type = 'OrderCancelled')::text AS cancelled
         FROM orders o LEFT JOIN outbox x ON x.payload->>'orderId' = o.id::text
        WHERE o.created_at >= $1
        GROUP BY o.id, o.status`,
      [sinceIso],
    );
    const violations = unpublished.rows.map(
      (row) =>
        `outbox event ${row.event_id} (${row.message_type}) unpublished after ${row.attempts} attempts${row.last_error ? `: ${row.last_error}` : ''}`,
    );
    const expected: Record<string, [number, number]> = { CONFIRMED: [1, 0], CANCELLED: [0, 1], PENDING: [0, 0] };
    for (const row of events.rows) {
      const [confirmed, cancelled] = expected[row.status] ?? [0, 0];
      if (Number(row.confirmed) !== confirmed || Number(row.cancelled) !== cancelled) {
        violations.push(
          `order ${row.id} is ${row.status} with ${row.confirmed} OrderConfirmed and ${row.cancelled} OrderCancelled events in the outbox`,
        );
      }
    }
    const notification = await notificationOutboxViolations(db, sinceIso);
    violations.push(...notification.violations);
    return result(
      'outbox-published',
      `${events.rows.length} orders, ${unpublished.rows.length} unpublished rows; ` +
        `${notification.notifications} e-mails, ${notification.unpublished} unpublished NotificationSent`,
      violations,
    );
  },
};
