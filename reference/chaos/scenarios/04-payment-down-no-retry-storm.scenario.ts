import type { Scenario } from '@harness/chaos';

/** Scenario 4: payment unreachable. */
const scenario: Scenario = {
  id: 'payment-down-no-retry-storm',
  title: 'Payment hard down: bounded retries, the breaker stops the traffic, no retry storm',
  hypothesis:
    'When payment refuses every connection, each charge is tried at most 3 times with backoff, the breaker opens ' +
    'after 3 failed charges and keeps further calls away, so the attempts stay far below orders × attempts; every ' +
    'order is refused with 503 + Retry-After quickly and its stock is released.',
  ci: true,
  timeLimitMs: 45_000,
  steadyState: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }, { kind: 'order-confirmed' }],
  faults: [{ id: 'payment-down', kind: 'proxy-down', target: { link: 'L5' }, startMs: 0, stopMs: 5_000 }],
  workload: [
    {
      kind: 'place-orders',
      id: 'checkout',
      count: 14,
      concurrency: 2,
      intervalMs: 150,
      items: [{ productId: 'ceramic-cup-2', quantity: 2 }],
    },
  ],
  expectations: {
    responses: [
      {
        stream: 'checkout',
        window: { duringFault: 'payment-down' },
        statuses: [503],
        retryAfterOn503: true,
        maxLatencyMs: 1_500,
        minResponses: 10,
      },
    ],
    oracles: [
      { kind: 'breaker', service: 'order', dependency: 'payment' },
      // Without a breaker: 14 orders × 3 attempts, plus audits. With it: about (3 + 2) × 3 + probes.
      // On the wire fewer: once the breaker opens, the retries it refuses never leave order.
      {
        kind: 'retry',
        service: 'order',
        dependency: 'payment',
        minRetries: 2,
        minRetriesOnTheWire: 1,
        maxTotalAttempts: 30,
      },
    ],
    invariants: [
      'stock-conserved',
      'cancelled-orders-refunded',
      'orders-terminal',
      'outbox-published',
      'confirmed-notified-once',
    ],
    settleWithinMs: 20_000,
  },
  recovery: {
    withinMs: 12_000,
    probes: [{ kind: 'services-ready' }, { kind: 'order-confirmed' }, { kind: 'breakers-closed' }],
  },
};

export default scenario;
