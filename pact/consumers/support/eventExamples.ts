import { MatchersV3 } from '@pact-foundation/pact';
import type { PactMessage } from '../../src/consumer/inMemoryBroker.ts';
import { currency, ids, productId, timestamp } from './examples.ts';

const { eachLike, integer, uuid, regex, reify } = MatchersV3;

/** The metadata of an order event: AMQP headers plus content type and routing key. */
export function eventMetadata(eventType: 'OrderConfirmed' | 'OrderCancelled', eventId: string) {
  return {
    contentType: 'application/json',
    routingKey: eventType === 'OrderConfirmed' ? 'order.confirmed' : 'order.cancelled',
    eventType,
    eventId: uuid(eventId),
    // Pact's metadata type says string; AMQP headers are JSON (schemaVersion is an integer).
    schemaVersion: integer(1) as unknown as string,
  };
}

export const confirmedEventId = ids.event;
export const cancelledEventId = '2c4e6a8b-0d1f-4a3b-9c5d-7e9f1a3b5c7d';

export const orderConfirmedPayload = {
  eventId: uuid(confirmedEventId),
  occurredAt: timestamp('2025-11-22T10:15:31Z'),
  orderId: uuid(ids.order),
  totalCents: integer(3798),
  currency,
  items: eachLike({ productId: productId('espresso-1kg'), quantity: integer(2), unitPriceCents: integer(1899) }),
};

export function orderCancelledPayload(reason: string) {
  return {
    eventId: uuid(cancelledEventId),
    occurredAt: timestamp('2025-11-22T10:20:01Z'),
    orderId: uuid(ids.cancelledOrder),
    reason: regex('^(OUT_OF_STOCK|PAYMENT_DECLINED|PAYMENT_UNAVAILABLE|INVENTORY_UNAVAILABLE|TIMEOUT)$', reason),
    items: eachLike({ productId: productId('espresso-1kg'), quantity: integer(1) }),
  };
}

/**
 * An event as the consumer test's examples describe it, with one field of its payload removed:
 * a message that breaks the contract, for the guard that the consumer's validation fires.
 */
export function messageWithout(field: string, content: object, metadata: object): PactMessage {
  const payload = { ...(reify(content) as Record<string, unknown>) };
  delete payload[field];
  return { contents: { content: payload }, metadata: reify(metadata) as Record<string, unknown> };
}

/** What the order history read model (L9) also reads: who placed the order and when, and its priced lines. */
export const orderStateOfConfirmed = {
  ...orderConfirmedPayload,
  ownerId: regex('^[A-Za-z0-9._-]{1,64}$', 'pact'),
  createdAt: timestamp('2025-11-22T10:15:30Z'),
};

export function orderStateOfCancelled(reason: string) {
  return {
    ...orderCancelledPayload(reason),
    ownerId: regex('^[A-Za-z0-9._-]{1,64}$', 'pact'),
    createdAt: timestamp('2025-11-22T10:20:00Z'),
    totalCents: integer(3798),
    currency,
    pricedItems: eachLike({
      productId: productId('espresso-1kg'),
      quantity: integer(2),
      unitPriceCents: integer(1899),
    }),
  };
}

export const notificationSentEventId = '6d8f0a2c-4e6b-4d8f-a0b2-c4e6f8a0b2c4';

/** The metadata of a NotificationSent: AMQP headers plus content type and routing key. */
export function notificationEventMetadata(eventId: string) {
  return {
    contentType: 'application/json',
    routingKey: 'notification.sent',
    eventType: 'NotificationSent',
    eventId: uuid(eventId),
    schemaVersion: integer(1) as unknown as string,
  };
}

/** What the order history read model (L12) reads of an e-mail notification sent about an order. */
export const notificationSentPayload = {
  eventId: uuid(notificationSentEventId),
  occurredAt: timestamp('2025-11-22T10:15:32Z'),
  orderId: uuid(ids.order),
  notificationId: uuid(ids.notification),
  orderEventId: uuid(ids.event),
  kind: regex('^(ORDER_CONFIRMED|ORDER_CANCELLED)$', 'ORDER_CONFIRMED'),
  channel: regex('^email$', 'email'),
  sentAt: timestamp('2025-11-22T10:15:32Z'),
};
