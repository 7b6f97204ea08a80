import type { Scenario } from '@harness/chaos';

/** Scenario 2: once payment is fast again, the half-open probe closes the breaker. */
const scenario: Scenario = {
  id: 'payment-breaker-half-open-recovery',
  title: 'Half-open probe closes the payment breaker after the latency is removed',
  hypothesis:
    'After payment latency has opened the breaker and is then removed, the breaker turns half-open no sooner than ' +
    '2 s after opening, lets exactly one probe through, closes when it succeeds, and orders are confirmed again.',
  ci: true,
  timeLimitMs: 45_000,
  steadyState: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }, { kind: 'order-confirmed' }],
  faults: [
    {
      id: 'slow-payment',
      kind: 'toxic',
      target: { link: 'L5' },
      toxic: { type: 'latency', latencyMs: 1_000 },
      direction: 'downstream',
      startMs: 0,
      stopMs: 2_500,
    },
  ],
  workload: [
    { kind: 'place-orders', id: 'trip', count: 4, concurrency: 4, items: [{ productId: 'moka-pot-6', quantity: 1 }] },
    {
      kind: 'place-orders',
      id: 'after',
      count: 16,
      concurrency: 1,
      intervalMs: 250,
      startMs: 2_000,
      items: [{ productId: 'moka-pot-6', quantity: 1 }],
    },
  ],
  expectations: {
    responses: [
      {
        stream: 'after',
        window: { afterBreakerClosed: { service: 'order', dependency: 'payment' } },
        statuses: [201],
        bodiesIntact: true,
        minResponses: 5,
      },
      { stream: 'after', window: { all: true }, statuses: [201, 202, 503], retryAfterOn503: true, minResponses: 10 },
    ],
    oracles: [{ kind: 'breaker', service: 'order', dependency: 'payment', closesAgain: true }],
    invariants: [
      'stock-conserved',
      'at-most-one-charge-per-order',
      'orders-terminal',
      'outbox-published',
      'confirmed-notified-once',
    ],
    settleWithinMs: 20_000,
  },
  recovery: {
    withinMs: 10_000,
    probes: [{ kind: 'services-ready' }, { kind: 'order-confirmed' }, { kind: 'breakers-closed' }],
  },
};

export default scenario;
