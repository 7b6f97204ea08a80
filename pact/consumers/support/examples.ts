import { MatchersV3 } from '@pact-foundation/pact';

const { like, eachLike, integer, regex, uuid } = MatchersV3;

/**
 * Example values shared by the consumer tests (the spec's examples, so pacts read like the
 * docs) and the matchers that say which parts are examples and which are the contract.
 */
export const ids = {
  /** An order the provider state creates; its real id is injected at verification. */
  order: '3f6c1a52-8d1e-4b8a-9c7e-2a1f5e9d4b10',
  cancelledOrder: '7a9d2b14-6c3e-4f58-8b1a-0e2d4c6f8a19',
  unknownOrder: '00000000-0000-4000-8000-000000000404',
  charge: 'ch_5Jf8kQ2zLm4N',
  event: '9b2e4c8a-1f3d-4e6b-8a7c-5d9e0f1a2b3c',
  notification: '5e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b',
} as const;

/** The token every consumer test sends; verification swaps in the provider's real one. */
export const pactServiceToken = 'pact-service-token';
export const pactApiKey = 'pact-demo-key';

export const serviceTokenHeader = { 'X-Service-Token': like(pactServiceToken) };

/** RFC 3339 date-time, as the specs' Timestamp (`format: date-time`) allows it. */
const RFC3339 = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';
export const timestamp = (example: string) => regex(RFC3339, example);

export const productId = (example: string) => regex('^[a-z0-9][a-z0-9-]{1,63}$', example);
export const currency = regex('^[A-Z]{3}$', 'EUR');

/** A catalog product, every field the contract names. */
export const product = {
  id: productId('espresso-1kg'),
  sku: regex('^[A-Z0-9-]{3,32}$', 'COF-ESP-1000'),
  name: like('Espresso beans 1 kg'),
  description: like('Dark roast, whole beans.'),
  priceCents: integer(1899),
  currency,
  available: integer(42),
};

/** An order line, priced. */
export const orderItem = {
  productId: productId('espresso-1kg'),
  quantity: integer(2),
  unitPriceCents: integer(1899),
};

/** An order as order and gateway return it. */
export function order(status: 'CONFIRMED' | 'CANCELLED', extra: Record<string, unknown> = {}) {
  return {
    id: uuid(ids.order),
    status,
    items: eachLike(orderItem),
    totalCents: integer(3798),
    currency,
    createdAt: timestamp('2025-11-22T10:15:30Z'),
    updatedAt: timestamp('2025-11-22T10:15:31Z'),
    ...extra,
  };
}

/** An RFC 9457 problem with the fields a client reads. */
export function problem(status: number, code: string, extra: Record<string, unknown> = {}) {
  return {
    type: like(`/problems/${code.toLowerCase().replaceAll('_', '-')}`),
    title: like(code),
    status,
    code,
    ...extra,
  };
}

/** Response content types (Pact compares the media type; a charset parameter may follow). */
export const problemJson = { 'Content-Type': 'application/problem+json' };
export const json = { 'Content-Type': 'application/json' };

export const notification = {
  id: uuid(ids.notification),
  orderId: uuid(ids.order),
  eventId: uuid(ids.event),
  kind: regex('^ORDER_(CONFIRMED|CANCELLED)$', 'ORDER_CONFIRMED'),
  channel: 'email',
  recipient: like('customer+3f6c1a52@example.test'),
  subject: like('Your order 3f6c1a52 is confirmed'),
  sentAt: timestamp('2025-11-22T10:15:32Z'),
};
