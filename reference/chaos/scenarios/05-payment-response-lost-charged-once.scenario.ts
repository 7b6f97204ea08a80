import type { Scenario } from '@harness/chaos';

/** Scenario 5: the charge commits at payment but its answer never reaches order. */
const scenario: Scenario = {
  id: 'payment-response-lost-charged-once',
  title: 'A charge whose answer is lost is retried with the same key and charged once',
  hypothesis:
    'When the connection from payment back to order is cut after a few bytes (half the connections), the charge ' +
    'has already been committed; order retries it with the same Idempotency-Key and payment replays the stored ' +
    'answer, so no order is charged twice and every cancelled order ends up refunded.',
  ci: true,
  timeLimitMs: 45_000,
  // The breaker counts every attempt: with half the answers lost, the tuned threshold of 3 would
  // open it within a few orders and short-circuit the retries this scenario is about.
  serviceEnv: { order: { PAYMENT_BREAKER_THRESHOLD: '12' } },
  steadyState: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }, { kind: 'order-confirmed' }],
  faults: [
    {
      id: 'cut-payment-answers',
      kind: 'toxic',
      target: { link: 'L5' },
      toxic: { type: 'limit_data', bytes: 16 },
      direction: 'downstream',
      toxicity: 0.5,
      cycleConnectionsEveryMs: 300,
      startMs: 0,
      stopMs: 6_000,
    },
  ],
  workload: [
    {
      kind: 'place-orders',
      id: 'checkout',
      count: 14,
      concurrency: 1,
      intervalMs: 100,
      items: [{ productId: 'filter-500g', quantity: 2 }],
    },
  ],
  expectations: {
    responses: [
      {
        stream: 'checkout',
        window: { all: true },
        statuses: [201, 202, 503],
        retryAfterOn503: true,
        minSuccessRatio: 0.6,
        minResponses: 10,
      },
    ],
    oracles: [{ kind: 'retry', service: 'order', dependency: 'payment', minRetries: 1 }],
    evidence: [{ kind: 'replayed-calls', fault: 'cut-payment-answers', link: 'L5', min: 1 }],
    invariants: [
      'at-most-one-charge-per-order',
      'cancelled-orders-refunded',
      'stock-conserved',
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
