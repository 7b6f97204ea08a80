import type { GatewayComponents, OrderComponents } from '@harness/contracts';

export type PublicOrder = GatewayComponents['schemas']['Order'];
type InternalOrder = OrderComponents['schemas']['Order'];

/** The public shape of an order: only the members the gateway contract names. */
export function toPublicOrder(order: InternalOrder): PublicOrder {
  return {
    id: order.id,
    status: order.status,
    items: order.items.map((item) => ({
      productId: item.productId,
      quantity: item.quantity,
      unitPriceCents: item.unitPriceCents,
    })),
    totalCents: order.totalCents,
    currency: order.currency,
    ...(order.cancellationReason === undefined ? {} : { cancellationReason: order.cancellationReason }),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}
