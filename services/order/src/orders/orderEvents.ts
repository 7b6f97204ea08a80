import { randomUUID } from 'node:crypto';
import { routingKeys, type OrderCancelledPayload, type OrderConfirmedPayload } from '@harness/contracts';
import type { OutboxEvent } from '@harness/kit';
import { lineItemsOf, type CancellationReason, type OrderRecord } from './Order.ts';

/** An order event as the outbox stores it (the relay publishes it to the `orders` exchange). */
export type OrderEvent =
  | { eventType: 'OrderConfirmed'; routingKey: typeof routingKeys.OrderConfirmed; payload: OrderConfirmedPayload }
  | { eventType: 'OrderCancelled'; routingKey: typeof routingKeys.OrderCancelled; payload: OrderCancelledPayload };

export const ORDER_EVENTS_EXCHANGE = 'orders';
/** Sent as the `schemaVersion` header of every order event. */
const SCHEMA_VERSION = 1;

/** How an order event is written to the outbox (the relay publishes it to `orders`). */
export function toOutboxEvent(event: OrderEvent): OutboxEvent {
  return {
    eventId: event.payload.eventId,
    exchange: ORDER_EVENTS_EXCHANGE,
    routingKey: event.routingKey,
    messageType: event.eventType,
    payload: event.payload,
    headers: { schemaVersion: SCHEMA_VERSION },
  };
}

export function orderConfirmedEvent(order: OrderRecord): OrderEvent {
  return {
    eventType: 'OrderConfirmed',
    routingKey: routingKeys.OrderConfirmed,
    payload: {
      eventId: randomUUID(),
      occurredAt: order.updatedAt.toISOString(),
      orderId: order.id,
      totalCents: order.totalCents,
      currency: order.currency,
      items: order.items,
      ...ownerAndCreation(order),
    },
  };
}

export function orderCancelledEvent(order: OrderRecord, reason: CancellationReason): OrderEvent {
  return {
    eventType: 'OrderCancelled',
    routingKey: routingKeys.OrderCancelled,
    payload: {
      eventId: randomUUID(),
      occurredAt: order.updatedAt.toISOString(),
      orderId: order.id,
      reason,
      items: lineItemsOf(order),
      ...ownerAndCreation(order),
      totalCents: order.totalCents,
      currency: order.currency,
      pricedItems: order.items,
    },
  };
}

/** What a read model needs besides the outcome: who placed the order and when. */
function ownerAndCreation(order: OrderRecord): { ownerId?: string; createdAt: string } {
  return { ...(order.ownerId === null ? {} : { ownerId: order.ownerId }), createdAt: order.createdAt.toISOString() };
}
