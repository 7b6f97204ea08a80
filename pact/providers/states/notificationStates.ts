import { randomUUID } from 'node:crypto';
import type { Pool } from '@harness/kit';
import { orderEventsQueue, startOrderEventsConsumer } from '@harness/notification/testing';
import { inMemoryBroker } from '../../src/consumer/inMemoryBroker.ts';
import type { ProviderStateSetup } from '../../src/verify/stateGuard.ts';
import type { RunningApp } from '../support/runningApp.ts';
import { stringParam } from './stateParams.ts';

/** An OrderConfirmed event as order publishes it (content + AMQP headers and properties). */
export interface OrderEventMessage {
  content: unknown;
  metadata: Record<string, unknown>;
}

// The contract's queue, as notification declares it: its name is the consumer's dedupe key in
// processed_events. Retry settings do not matter: a state whose event is not processed fails.
const queue = orderEventsQueue({ retryDelayMs: 1_000, maxAttempts: 1 });

/**
 * Delivers an order event to the consumer notification itself starts (startOrderEventsConsumer:
 * the generated validator, the event-id dedupe in processed_events and the notification effect,
 * all in the kit's startConsumer) on an in-memory broker, so the e-mail is recorded exactly as
 * when the event comes from RabbitMQ. Fails unless the consumer processed the event.
 */
export async function deliverToNotification(pool: Pool, message: OrderEventMessage): Promise<void> {
  const broker = inMemoryBroker();
  const consumer = await startOrderEventsConsumer({
    pool,
    broker: broker.connection,
    queue,
    prefetch: 1,
    metrics: broker.metrics,
  });
  try {
    const delivery = await broker.deliver({ contents: { content: message.content }, metadata: message.metadata });
    if (delivery.outcome !== 'processed') {
      const why = delivery.republished.map((copy) => `${copy.queue}: ${String(copy.reason)} ${String(copy.detail)}`);
      throw new Error(
        `notification did not process the event (outcome ${String(delivery.outcome)}` +
          `${why.length > 0 ? `; ${why.join('; ')}` : ''})`,
      );
    }
  } finally {
    await consumer.stop();
  }
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

/**
 * Provider states of notification: HTTP (L8) and the e-mail whose NotificationSent the message
 * pact (L12) describes; `messageOrders` gets the order of each message a state produced.
 */
export function notificationStates(
  notification: RunningApp,
  messageOrders: Map<string, string> = new Map(),
): Record<string, ProviderStateSetup> {
  const pool = notification.pool;
  if (!pool) throw new Error('notification runs without a database');
  return {
    // The consumer records the e-mail and enqueues its NotificationSent in the outbox.
    'an order confirmation was e-mailed': async () => {
      const orderId = randomUUID();
      await deliverToNotification(pool, orderConfirmedMessage(orderId));
      messageOrders.set('NotificationSent', orderId);
    },
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
