import { randomUUID } from 'node:crypto';
import type { ScratchDatabases } from './scratchDatabases.ts';

export interface SeededOrder {
  id: string;
  status: 'PENDING' | 'CONFIRMED' | 'CANCELLED';
  chargeId: string | null;
}

/**
 * Writes a small, consistent shop into the scratch databases, the way the services would after a
 * healthy run: one product with 10 units, two confirmed orders (reserved, charged, event
 * published, notified once, its NotificationSent published, the e-mail in the read model) and one cancelled one (reservation
 * released, event published).
 * Tests then break one thing at a time.
 */
export async function seedConsistentShop(
  dbs: ScratchDatabases,
): Promise<{ confirmed: SeededOrder[]; cancelled: SeededOrder }> {
  const inventory = dbs.pool('inventory');
  const payment = dbs.pool('payment');
  const notification = dbs.pool('notification');
  await inventory.query(
    `INSERT INTO products (id, sku, name, price_cents, currency, available, reserved) VALUES ('p-1', 'SKU-1', 'Beans', 500, 'EUR', 8, 2)`,
  );
  const confirmed: SeededOrder[] = [];
  for (let n = 0; n < 2; n++) {
    const id = randomUUID();
    const chargeId = `ch_${n}_${randomUUID().slice(0, 8)}`;
    await insertOrder(dbs, id, 'CONFIRMED', 'CONFIRMED', chargeId);
    await inventory.query(
      `INSERT INTO reservations (order_id, status, items, items_key) VALUES ($1, 'RESERVED', '[{"productId":"p-1","quantity":1}]', 'p-1:1')`,
      [id],
    );
    await payment.query(
      `INSERT INTO charges (id, order_id, amount_cents, currency, status, idempotency_key, created_at)
       VALUES ($1, $2, 500, 'EUR', 'SUCCEEDED', $3, now())`,
      [chargeId, id, `order-${id}-charge`],
    );
    const eventId = await insertOutboxEvent(dbs, id, 'OrderConfirmed', true);
    const notificationId = randomUUID();
    await notification.query(
      `INSERT INTO notifications (id, order_id, event_id, kind, recipient, subject, body)
       VALUES ($1, $2, $3, 'ORDER_CONFIRMED', 'customer@example.com', 'Confirmed', 'Thanks')`,
      [notificationId, id, eventId],
    );
    await insertNotificationSent(dbs, notificationId, true);
    await projectOrder(dbs, id, 'CONFIRMED');
    await projectNotification(dbs, notificationId);
    confirmed.push({ id, status: 'CONFIRMED', chargeId });
  }
  const cancelledId = randomUUID();
  await insertOrder(dbs, cancelledId, 'CANCELLED', 'CANCELLED', null);
  await inventory.query(
    `INSERT INTO reservations (order_id, status, items, items_key) VALUES ($1, 'RELEASED', '[{"productId":"p-1","quantity":1}]', 'p-1:1')`,
    [cancelledId],
  );
  await insertOutboxEvent(dbs, cancelledId, 'OrderCancelled', true);
  await projectOrder(dbs, cancelledId, 'CANCELLED');
  return { confirmed, cancelled: { id: cancelledId, status: 'CANCELLED', chargeId: null } };
}

export async function insertOrder(
  dbs: ScratchDatabases,
  id: string,
  status: string,
  sagaStep: string,
  chargeId: string | null,
): Promise<void> {
  await dbs.pool('order').query(
    `INSERT INTO orders (id, idempotency_key, request_hash, status, saga_step, items, total_cents, currency, charge_id)
     VALUES ($1, $2, 'hash', $3, $4, '[{"productId":"p-1","quantity":1,"unitPriceCents":500}]', 500, 'EUR', $5)`,
    [id, `key-${id}`, status, sagaStep, chargeId],
  );
}

export async function insertOutboxEvent(
  dbs: ScratchDatabases,
  orderId: string,
  type: 'OrderConfirmed' | 'OrderCancelled',
  published: boolean,
): Promise<string> {
  const eventId = randomUUID();
  await dbs.pool('order').query(
    `INSERT INTO outbox (id, event_id, exchange, routing_key, message_type, payload, published_at)
     VALUES ($1, $2, 'orders', $3, $4, $5, ${published ? 'now()' : 'NULL'})`,
    [
      randomUUID(),
      eventId,
      type === 'OrderConfirmed' ? 'order.confirmed' : 'order.cancelled',
      type,
      JSON.stringify({ eventId, orderId }),
    ],
  );
  return eventId;
}

/** The gateway's order history row of an order, as the projection writes it from the order's event. */
export async function projectOrder(
  dbs: ScratchDatabases,
  id: string,
  status: 'CONFIRMED' | 'CANCELLED',
): Promise<void> {
  const { rows } = await dbs
    .pool('order')
    .query(
      'SELECT owner_id, items, total_cents, currency, cancellation_reason, created_at, updated_at FROM orders WHERE id = $1',
      [id],
    );
  const order = rows[0];
  await dbs.pool('gateway').query(
    `INSERT INTO order_history (order_id, owner_id, status, items, total_cents, currency, cancellation_reason,
       created_at, updated_at, event_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, gen_random_uuid())`,
    [
      id,
      order.owner_id,
      status,
      JSON.stringify(order.items),
      order.total_cents,
      order.currency,
      order.cancellation_reason,
      order.created_at,
      order.updated_at,
    ],
  );
}

/** The gateway's read-model row of a notification, as the projection writes it from its NotificationSent. */
export async function projectNotification(dbs: ScratchDatabases, notificationId: string): Promise<void> {
  const { rows } = await dbs
    .pool('notification')
    .query('SELECT order_id, kind, sent_at FROM notifications WHERE id = $1', [notificationId]);
  const sent = rows[0];
  await dbs.pool('gateway').query(
    `INSERT INTO order_notifications (notification_id, order_id, kind, sent_at, event_id)
     VALUES ($1, $2, $3, $4, gen_random_uuid())`,
    [notificationId, sent.order_id, sent.kind, sent.sent_at],
  );
}

/** The NotificationSent notification enqueues in its outbox with an e-mail it records. */
export async function insertNotificationSent(
  dbs: ScratchDatabases,
  notificationId: string,
  published: boolean,
): Promise<void> {
  const eventId = randomUUID();
  await dbs.pool('notification').query(
    `INSERT INTO outbox (id, event_id, exchange, routing_key, message_type, payload, published_at)
     SELECT $1::uuid, $2::uuid, 'notifications', 'notification.sent', 'NotificationSent',
            jsonb_build_object('eventId', $2::text, 'orderId', order_id, 'notificationId', id, 'kind', kind),
            ${published ? 'now()' : 'NULL'}
       FROM notifications WHERE id = $3`,
    [randomUUID(), eventId, notificationId],
  );
}
