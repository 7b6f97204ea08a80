import { randomUUID } from 'node:crypto';
import type { NotificationComponents } from '@harness/contracts';
import { changeWithOutbox, type Queryable } from '@harness/kit';
import { notificationSentEvent } from './notificationSent.ts';
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
 * Records the e-mail sent for an event and, in the same SQL statement, enqueues its
 * NotificationSent in the outbox (`changeWithOutbox`): an e-mail is announced exactly when it is
 * recorded, once. Runs in the consumer's transaction, next to the processed-event row; the unique
 * event_id makes a second row (and a second event) for the same order event impossible even
 * outside that dedupe. Returns false when the event already had its notification.
 */
export async function recordNotification(
  db: Queryable,
  notification: { orderId: string; eventId: string; email: OrderEmail },
): Promise<boolean> {
  const { orderId, eventId, email } = notification;
  const notificationId = randomUUID();
  const sentAt = new Date().toISOString();
  const event = notificationSentEvent({
    orderId,
    notificationId,
    orderEventId: eventId,
    kind: email.kind,
    channel: 'email',
    sentAt,
  });
  const { rows } = await changeWithOutbox(
    db,
    {
      name: 'notification-record',
      text: `INSERT INTO notifications (id, order_id, event_id, kind, channel, recipient, subject, body, sent_at)
             VALUES ($1, $2, $3, $4, 'email', $5, $6, $7, $8)
             ON CONFLICT (event_id) DO NOTHING
             RETURNING id`,
      values: [notificationId, orderId, eventId, email.kind, email.recipient, email.subject, email.body, sentAt],
    },
    event,
  );
  return rows.length === 1;
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
