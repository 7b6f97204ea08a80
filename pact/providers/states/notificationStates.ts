import { randomUUID } from 'node:crypto';
import type { Pool } from '@harness/kit';
import { notifyCustomer, validateOrderEvent } from '@harness/notification/testing';
import { deliverMessage } from '../../src/consumer/deliverMessage.ts';
import type { ProviderStateSetup } from '../../src/verify/stateGuard.ts';
import type { RunningApp } from '../support/runningApp.ts';
import { stringParam } from './stateParams.ts';

/** An OrderConfirmed event as order publishes it (content + AMQP headers and properties). */
export interface OrderEventMessage {
  content: unknown;
  metadata: Record<string, unknown>;
}

/**
 * Delivers an order event to notification's consumer (the validate + handle pair it gives the
 * kit's startConsumer), so the e-mail is recorded exactly as when the event comes from RabbitMQ.
 */
export async function deliverToNotification(pool: Pool, message: OrderEventMessage): Promise<void> {
  const delivery = await deliverMessage(
    pool,
    { validate: validateOrderEvent, handle: notifyCustomer },
    {
      contents: { content: message.content },
      metadata: message.metadata,
    },
  );
  if (delivery.outcome !== 'handled') throw new Error(`notification rejected the event: ${delivery.errors.join('; ')}`);
}

/** A valid OrderConfirmed for an order id (what order's outbox would publish for it). */
function orderConfirmedMessage(orderId: string): OrderEventMessage {
  const eventId = randomUUID();
  return {
    content: {
      eventId,
      occurredAt: new Date().toISOString(),
      orderId,
      totalCents: 3798,
      currency: 'EUR',
      items: [{ productId: 'espresso-1kg', quantity: 2, unitPriceCents: 1899 }],
    },
    metadata: {
      eventId,
      eventType: 'OrderConfirmed',
      schemaVersion: 1,
      contentType: 'application/json',
      routingKey: 'order.confirmed',
    },
  };
}

/** Provider states of notification (link L8). */
export function notificationStates(notification: RunningApp): Record<string, ProviderStateSetup> {
  const pool = notification.pool;
  if (!pool) throw new Error('notification runs without a database');
  return {
    'order 3f6c1a52-8d1e-4b8a-9c7e-2a1f5e9d4b10 was notified': async (params) => {
      const orderId = stringParam(params, 'orderId');
      const { rows } = await pool.query('SELECT 1 FROM notifications WHERE order_id = $1', [orderId]);
      if (rows.length === 0) await deliverToNotification(pool, orderConfirmedMessage(orderId));
    },
    'order 7a9d2b14-6c3e-4f58-8b1a-0e2d4c6f8a19 has no notification': async (params) => {
      await pool.query('DELETE FROM notifications WHERE order_id = $1', [stringParam(params, 'orderId')]);
    },
  };
}
