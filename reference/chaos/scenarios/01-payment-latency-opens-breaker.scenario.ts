import type { Scenario } from '@harness/chaos';

/** Scenario 1: a slow payment service trips order's payment breaker. */
const scenario: Scenario = {
  id: 'payment-latency-opens-breaker',
  title: 'Payment latency opens the payment breaker; orders fail fast',
  hypothesis:
    'When payment answers slower than order allows (1 s vs a 500 ms timeout), the order service stops waiting: ' +
    'after 3 failed calls its payment breaker opens, further orders are refused at once with 503 and Retry-After ' +
    'without a call reaching payment, and no stock stays reserved for a cancelled order.',
  ci: true,
  timeLimitMs: 50_000,
  steadyState: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }, { kind: 'order-confirmed' }],
  faults: [
    {
      id: 'slow-payment',
      kind: 'toxic',
      target: { link: 'L5' },
      toxic: { type: 'latency', latencyMs: 1_000, jitterMs: 100 },
      direction: 'downstream',
      startMs: 0,
      stopMs: 7_000,
    },
  ],
  workload: [
    {
      kind: 'place-orders',
      id: 'checkout',
      count: 14,
      concurrency: 2,
      intervalMs: 200,
      items: [{ productId: 'espresso-1kg', quantity: 1 }],
    },
  ],
  expectations: {
    responses: [
      {
        stream: 'checkout',
        window: { whileBreaker: { service: 'order', dependency: 'payment', state: 'open' } },
        statuses: [503],
        retryAfterOn503: true,
        maxLatencyMs: 500,
        minResponses: 3,
      },
      { stream: 'checkout', window: { all: true }, statuses: [201, 202, 503], retryAfterOn503: true, minResponses: 10 },
    ],
    oracles: [{ kind: 'breaker', service: 'order', dependency: 'payment' }],
    invariants: [
      'stock-conserved',
      'at-most-one-charge-per-order',
      'cancelled-orders-refunded',
      'orders-terminal',
      'outbox-published',
      'confirmed-notified-once',
    ],
    settleWithinMs: 20_000,
  },
  recovery: {
    withinMs: 15_000,
    probes: [{ kind: 'services-ready' }, { kind: 'order-confirmed' }, { kind: 'breakers-closed' }],
  },
};

export default scenario;
