import type { RequestStream } from '@harness/ci/config';

/** A stream of checkouts at orders, each with a fresh Idempotency-Key: the workload of every scenario here. */
export function checkouts(
  options: Pick<RequestStream, 'count'> &
    Partial<Omit<RequestStream, 'service' | 'method' | 'path'>> & {
      sku?: string;
      quantity?: number;
      amountCents?: number;
    },
): RequestStream {
  const { sku = 'tea', quantity = 1, amountCents = 1200, ...stream } = options;
  return {
    id: 'checkout',
    service: 'orders',
    method: 'POST',
    path: '/orders',
    idempotencyKey: true,
    body: { items: [{ sku, quantity }], amountCents, paymentToken: 'tok_approve' },
    ...stream,
  };
}
