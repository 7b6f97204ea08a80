import type { OrderComponents } from '@harness/contracts';
import type { OrderRecord } from './Order.ts';

export type OrderBody = OrderComponents['schemas']['Order'];

/** The API shape of an order (the payment token and saga internals never leave the service). */
export function toOrderBody(order: OrderRecord): OrderBody {
  const body: OrderBody = {
    id: order.id,
    status: order.status,
    items: order.items,
    totalCents: order.totalCents,
    currency: order.currency,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
  if (order.cancellationReason !== null) body.cancellationReason = order.cancellationReason;
  return body;
}

/** Where an order can be read (relative to the order service's base URL). */
export const orderLocation = (orderId: string): string => `/orders/${orderId}`;
