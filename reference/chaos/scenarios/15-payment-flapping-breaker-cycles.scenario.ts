import type { Scenario } from '@harness/chaos';

/**
 * Scenario 15 (full profile only): payment is slow three times in a row. Too long for CI (about
 * 20 s of experiment plus settling), it shows the breaker cycling open → half-open → closed
 * several times without losing or duplicating a charge.
 */
const slow = (n: number, startMs: number) => ({
  id: `slow-payment-${n}`,
  kind: 'toxic' as const,
  target: { link: 'L5' },
  toxic: { type: 'latency' as const, latencyMs: 1_000, jitterMs: 100 },
  direction: 'downstream' as const,
  startMs,
  stopMs: startMs + 3_000,
});

const scenario: Scenario = {
  id: 'payment-flapping-breaker-cycles',
  title: 'Payment slow three times: the breaker opens and closes again each time, no charge lost or doubled',
  hypothesis:
    'When payment answers slower than order allows for 3 s, three times with 4 s of health in between, every ' +
    'checkout is answered 201, 202 or 503 with Retry-After, checkouts succeed again between the slow spells, ' +
    'and afterwards every order is terminal, charged at most once, refunded when cancelled, its stock conserved.',
  ci: false,
  timeLimitMs: 60_000,
  steadyState: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }, { kind: 'order-confirmed' }],
  faults: [slow(1, 0), slow(2, 7_000), slow(3, 14_000)],
  workload: [
    {
      kind: 'place-orders',
      id: 'checkout',
      count: 90,
      concurrency: 2,
      intervalMs: 300,
      items: [{ productId: 'moka-pot-6', quantity: 1 }],
    },
  ],
  expectations: {
    responses: [
      { stream: 'checkout', window: { all: true }, statuses: [201, 202, 503], retryAfterOn503: true, minResponses: 60 },
      { stream: 'checkout', window: { afterFault: 'slow-payment-3' }, minSuccessRatio: 0.8, minResponses: 5 },
    ],
    invariants: [
      'stock-conserved',
      'at-most-one-charge-per-order',
      'cancelled-orders-refunded',
      'orders-terminal',
      'outbox-published',
      'confirmed-notified-once',
    ],
    settleWithinMs: 25_000,
  },
  recovery: {
    withinMs: 10_000,
    probes: [{ kind: 'services-ready' }, { kind: 'order-confirmed' }, { kind: 'breakers-closed' }],
  },
};

export default scenario;
