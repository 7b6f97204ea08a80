/** Sample bodies in the shapes of the order, inventory and notification contracts. */
export const orderId = '3f6c1a52-8d1e-4b8a-9c7e-2a1f5e9d4b10';

export const espresso = {
  id: 'espresso-1kg',
  sku: 'COF-ESP-1000',
  name: 'Espresso beans 1 kg',
  description: 'Dark roast, whole beans.',
  priceCents: 1899,
  currency: 'EUR',
  available: 42,
};

export const confirmedOrder = {
  id: orderId,
  status: 'CONFIRMED',
  items: [{ productId: 'espresso-1kg', quantity: 2, unitPriceCents: 1899 }],
  totalCents: 3798,
  currency: 'EUR',
  createdAt: '2025-11-22T10:15:30Z',
  updatedAt: '2025-11-22T10:15:31Z',
};

export const confirmationNotification = {
  id: '5e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b',
  orderId,
  eventId: '9b2e4c8a-1f3d-4e6b-8a7c-5d9e0f1a2b3c',
  kind: 'ORDER_CONFIRMED',
  channel: 'email',
  recipient: 'customer+3f6c1a52@example.test',
  subject: 'Your order 3f6c1a52 is confirmed',
  sentAt: '2025-11-22T10:15:32Z',
};

export const placeOrderBody = { items: [{ productId: 'espresso-1kg', quantity: 2 }], paymentToken: 'tok_approve' };

export function problem(status: number, code: string, extra: Record<string, unknown> = {}) {
  return { type: `/problems/${code.toLowerCase().replaceAll('_', '-')}`, title: code, status, code, ...extra };
}
