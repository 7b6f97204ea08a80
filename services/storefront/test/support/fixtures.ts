import type { Order, OrderView, Product } from '../../src/web/gatewayTypes.ts';

export const espresso: Product = {
  id: 'espresso-1kg',
  sku: 'COF-ESP-1000',
  name: 'Espresso beans 1 kg',
  description: 'Dark roast.',
  priceCents: 2400,
  currency: 'EUR',
  available: 10,
};

export const grinder: Product = {
  id: 'hand-grinder',
  sku: 'GRD-HAND-01',
  name: 'Hand grinder',
  description: 'Ceramic burrs.',
  priceCents: 4999,
  currency: 'EUR',
  available: 0,
};

export const orderId = '3f6c1a52-8d1e-4b8a-9c7e-2a1f5e9d4b10';

export function order(status: Order['status'], overrides: Partial<Order> = {}): Order {
  return {
    id: orderId,
    status,
    items: [{ productId: espresso.id, quantity: 1, unitPriceCents: espresso.priceCents }],
    totalCents: espresso.priceCents,
    currency: 'EUR',
    createdAt: '2025-11-22T10:15:30Z',
    updatedAt: '2025-11-22T10:15:31Z',
    ...overrides,
  };
}

export function orderView(status: Order['status'], overrides: Partial<OrderView> = {}): OrderView {
  return { order: order(status), notifications: [], degraded: [], ...overrides };
}

export function confirmationNotification(): OrderView['notifications'][number] {
  return {
    id: '5e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b',
    orderId,
    eventId: '9b2e4c8a-1f3d-4e6b-8a7c-5d9e0f1a2b3c',
    kind: 'ORDER_CONFIRMED',
    channel: 'email',
    recipient: 'shopper@example.test',
    subject: 'Your order is confirmed',
    sentAt: '2025-11-22T10:15:32Z',
  };
}
