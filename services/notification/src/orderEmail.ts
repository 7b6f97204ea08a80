import type { NotificationComponents, OrderCancelledPayload, OrderConfirmedPayload } from '@harness/contracts';

type NotificationKind = NotificationComponents['schemas']['NotificationKind'];

/** The e-mail the customer gets about one order event. */
export interface OrderEmail {
  kind: NotificationKind;
  recipient: string;
  subject: string;
  body: string;
}

/** The short order reference customers see (first block of the order UUID). */
function orderReference(orderId: string): string {
  return orderId.slice(0, 8);
}

/**
 * The events carry no e-mail address, so every order gets a deterministic per-order address on
 * the reserved `.test` domain (a valid `format: email` value for the contract).
 */
export function recipientOf(orderId: string): string {
  return `customer+${orderReference(orderId)}@example.test`;
}

function formatAmount(cents: number, currency: string): string {
  return `${(cents / 100).toFixed(2)} ${currency}`;
}

const cancellationText: Record<OrderCancelledPayload['reason'], string> = {
  OUT_OF_STOCK: 'a product is out of stock',
  PAYMENT_DECLINED: 'the payment was declined',
  PAYMENT_UNAVAILABLE: 'the payment service was unavailable',
  INVENTORY_UNAVAILABLE: 'the inventory service was unavailable',
  TIMEOUT: 'it could not be completed in time',
};

export function confirmationEmail(event: OrderConfirmedPayload): OrderEmail {
  const reference = orderReference(event.orderId);
  const lines = event.items.map(
    (item) => `- ${item.quantity} x ${item.productId} at ${formatAmount(item.unitPriceCents, event.currency)}`,
  );
  return {
    kind: 'ORDER_CONFIRMED',
    recipient: recipientOf(event.orderId),
    subject: `Your order ${reference} is confirmed`,
    body: [
      `Thank you! Your order ${event.orderId} is confirmed.`,
      ...lines,
      `Total: ${formatAmount(event.totalCents, event.currency)}`,
    ].join('\n'),
  };
}

export function cancellationEmail(event: OrderCancelledPayload): OrderEmail {
  const reference = orderReference(event.orderId);
  return {
    kind: 'ORDER_CANCELLED',
    recipient: recipientOf(event.orderId),
    subject: `Your order ${reference} is cancelled`,
    body: `We are sorry: your order ${event.orderId} was cancelled because ${cancellationText[event.reason]}. Any payment taken for it is refunded.`,
  };
}
