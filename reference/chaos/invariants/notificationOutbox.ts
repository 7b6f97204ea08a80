import type { Invariant } from '@harness/chaos';

type Db = Parameters<Invariant['check']>[0]['db'];

/**
 * Notification's side of `outbox-published`: every e-mail it recorded since `sinceIso` has exactly
 * one NotificationSent in its outbox (enqueued by the statement that recorded it), and no row of
 * its outbox is left unpublished.
 */
export async function notificationOutboxViolations(
  db: Db,
  sinceIso: string,
): Promise<{ notifications: number; unpublished: number; violations: string[] }> {
  const unpublished = await db('notification').query<{ event_id: string; attempts: number; last_error: string | null }>(
    `SELECT event_id::text, attempts, last_error FROM outbox WHERE published_at IS NULL ORDER BY created_at LIMIT 20`,
  );
  const announced = await db('notification').query<{ id: string; order_id: string; kind: string; events: string }>(
    `SELECT n.id::text, n.order_id::text, n.kind, count(x.event_id)::text AS events
       FROM notifications n
       LEFT JOIN outbox x ON x.message_type = 'NotificationSent' AND x.payload->>'notificationId' = n.id::text
      WHERE n.sent_at >= $1
      GROUP BY n.id, n.order_id, n.kind
      ORDER BY min(n.sent_at), n.id`,
    [sinceIso],
  );
  const violations = unpublished.rows.map(
    (row) =>
      `notification's outbox event ${row.event_id} (NotificationSent) unpublished after ${row.attempts} attempts${row.last_error ? `: ${row.last_error}` : ''}`,
  );
  for (const row of announced.rows) {
    if (row.events !== '1') {
      violations.push(
        `order ${row.order_id}: the ${row.kind} e-mail ${row.id} has ${row.events} NotificationSent events in notification's outbox`,
      );
    }
  }
  return { notifications: announced.rows.length, unpublished: unpublished.rows.length, violations };
}
