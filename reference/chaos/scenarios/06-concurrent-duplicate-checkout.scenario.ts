import type { Scenario } from '@harness/chaos';

/** Scenario 6: the same checkout submitted four times at once. */
const scenario: Scenario = {
  id: 'concurrent-duplicate-checkout',
  title: 'Concurrent duplicate submits of one checkout make one order',
  hypothesis:
    'When a client sends the same checkout (same Idempotency-Key and body) four times at once while payment is ' +
    'slow, exactly one order is created and charged: the other requests are told the first is in flight (409 with ' +
    'Retry-After) or get the same order back.',
  ci: true,
  timeLimitMs: 40_000,
  steadyState: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }, { kind: 'order-confirmed' }],
  faults: [
    {
      id: 'slow-payment',
      kind: 'toxic',
      target: { link: 'L5' },
      toxic: { type: 'latency', latencyMs: 250 },
      direction: 'downstream',
      startMs: 0,
      stopMs: 6_000,
    },
  ],
  workload: [
    {
      kind: 'place-orders',
      id: 'double-click',
      count: 6,
      concurrency: 2,
      duplicates: 4,
      intervalMs: 100,
      items: [{ productId: 'espresso-1kg', quantity: 1 }],
    },
  ],
  expectations: {
    responses: [
      {
        stream: 'double-click',
        window: { all: true },
        statuses: [201, 202, 409],
        duplicatesAgree: true,
        minResponses: 20,
      },
    ],
    evidence: [{ kind: 'responses', fault: 'slow-payment', stream: 'double-click', status: 409, min: 1 }],
    invariants: [
      'at-most-one-charge-per-order',
      'stock-conserved',
      'orders-terminal',
      'outbox-published',
      'confirmed-notified-once',
    ],
    settleWithinMs: 15_000,
  },
  recovery: { withinMs: 10_000, probes: [{ kind: 'services-ready' }, { kind: 'order-confirmed' }] },
};

export default scenario;
