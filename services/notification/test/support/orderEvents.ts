import { randomUUID } from 'node:crypto';
import type { OrderCancelledPayload, OrderConfirmedPayload } from '@harness/contracts';

/** An OrderConfirmed payload as the order service publishes it. */
export function orderConfirmed(orderId: string = randomUUID()): OrderConfirmedPayload {
  return {
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    orderId,
    totalCents: 7248,
    currency: 'EUR',
    items: [
      { productId: 'espresso-1kg', quantity: 2, unitPriceCents: 1899 },
      { productId: 'moka-pot-6', quantity: 1, unitPriceCents: 3450 },
    ],
  };
}

export function orderCancelled(orderId: string = randomUUID()): OrderCancelledPayload {
  return {
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    orderId,
    reason: 'PAYMENT_DECLINED',
    items: [{ productId: 'espresso-1kg', quantity: 1 }],
  };
}
