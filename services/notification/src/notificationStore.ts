import { randomUUID } from 'node:crypto';
import type { NotificationComponents } from '@harness/contracts';
import type { EffectStatement, Queryable } from '@harness/kit';
import type { OrderEmail } from './orderEmail.ts';

export type Notification = NotificationComponents['schemas']['Notification'];

interface NotificationRow {
  id: string;
  order_id: string;
  event_id: string;
  kind: Notification['kind'];
  channel: 'email';
  recipient: string;
  subject: string;
  sent_at: Date;
}

/**
 * Records the e-mail sent for an event. Runs in the consumer's transaction, next to the
 * processed-event row; the unique event_id makes a second row for the same event impossible even
 * outside that dedupe. Returns false when the event already had its notification.
 */
export async function recordNotification(
  db: Queryable,
  notification: { orderId: string; eventId: string; email: OrderEmail },
): Promise<boolean> {
  const { orderId, eventId, email } = notification;
  const result = await db.query({
    name: 'notification-insert',
    text: `INSERT INTO notifications (id, order_id, event_id, kind, channel, recipient, subject, body)
           VALUES ($1, $2, $3, $4, 'email', $5, $6, $7)
           ON CONFLICT (event_id) DO NOTHING`,
    values: [randomUUID(), orderId, eventId, email.kind, email.recipient, email.subject, email.body],
  });
  return result.rowCount === 1;
}

/**
 * The same record as the consumer's one-statement effect: it inserts only when the consumer's
 * `recorded` CTE holds the event (a new event id), in the statement that records the id.
 */
export function notificationEffect(notification: {
  orderId: string;
  eventId: string;
  email: OrderEmail;
}): EffectStatement {
  const { orderId, eventId, email } = notification;
  return {
    name: 'notification-record',
    text: `INSERT INTO notifications (id, order_id, event_id, kind, channel, recipient, subject, body)
           SELECT $1::uuid, $2::uuid, $3::uuid, $4, 'email', $5, $6, $7 FROM recorded
           ON CONFLICT (event_id) DO NOTHING`,
    values: [randomUUID(), orderId, eventId, email.kind, email.recipient, email.subject, email.body],
  };
}

/** The notifications of one order, oldest first. */
export async function listNotificationsOfOrder(db: Queryable, orderId: string): Promise<Notification[]> {
  const { rows } = await db.query<NotificationRow>({
    name: 'notification-list-by-order',
    text: `SELECT id, order_id, event_id, kind, channel, recipient, subject, sent_at
           FROM notifications WHERE order_id = $1 ORDER BY sent_at, id`,
    values: [orderId],
  });
  return rows.map((row) => ({
    id: row.id,
    orderId: row.order_id,
    eventId: row.event_id,
    kind: row.kind,
    channel: row.channel,
    recipient: row.recipient,
    subject: row.subject,
    sentAt: row.sent_at.toISOString(),
  }));
}
