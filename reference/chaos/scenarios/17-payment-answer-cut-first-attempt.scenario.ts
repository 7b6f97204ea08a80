import type { Scenario } from '@harness/chaos';

/**
 * Scenario 17: the answer to the first attempt of every charge is cut after payment did the work
 * (a request-level fault in the tap). Scenario 5 gets the same situation from a partial toxic, on
 * whichever connections it happens to hit; here every charge meets it exactly once.
 */
const scenario: Scenario = {
  id: 'payment-answer-cut-first-attempt',
  title: 'The answer to the first attempt of every charge is lost: one retry each, replayed, charged once',
  hypothesis:
    'When the answer to the first attempt of every charge is cut halfway (payment has committed the charge), ' +
    'order retries each charge once with the same Idempotency-Key, payment replays the stored answer, every ' +
    'checkout is confirmed and no order is charged twice.',
  ci: true,
  timeLimitMs: 45_000,
  // One failed attempt per call, every call: the tuned threshold of 3 must not open between them.
  serviceEnv: { order: { PAYMENT_BREAKER_THRESHOLD: '12' } },
  steadyState: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }, { kind: 'order-confirmed' }],
  faults: [
    {
      id: 'first-answer-cut',
      kind: 'request',
      target: { link: 'L5' },
      action: { kind: 'drop-mid-body' },
      select: { method: 'POST', path: '/charges', first: 1, perKey: true },
      startMs: 0,
      stopMs: 6_000,
    },
  ],
  workload: [
    {
      kind: 'place-orders',
      id: 'checkout',
      count: 10,
      concurrency: 1,
      intervalMs: 100,
      items: [{ productId: 'filter-500g', quantity: 1 }],
    },
  ],
  expectations: {
    responses: [{ stream: 'checkout', window: { all: true }, statuses: [201], bodiesIntact: true, minResponses: 10 }],
    oracles: [{ kind: 'retry', service: 'order', dependency: 'payment', minRetries: 10 }],
    evidence: [{ kind: 'replayed-calls', fault: 'first-answer-cut', link: 'L5', min: 10 }],
    invariants: [
      'at-most-one-charge-per-order',
      'stock-conserved',
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
