import type { Scenario } from '@harness/chaos';

/**
 * Scenario 18: for a while the answer to every charge is cut after payment did the work (a
 * request-level fault in the tap), so the checkouts in that window are charged but never learn
 * it. Order gives up on them, cancels, and its compensation must find and refund those charges.
 * Unlike scenario 5 (a partial toxic) every affected checkout meets the fault on every attempt.
 */
const scenario: Scenario = {
  id: 'payment-answers-lost-refunded',
  title: 'Charges whose answers are all lost are cancelled and refunded',
  hypothesis:
    'When the answer to every charge attempt is cut halfway for two and a half seconds (payment has committed ' +
    'the charge), order cannot confirm those checkouts: it answers 503 with Retry-After, cancels them, and its ' +
    'compensation refunds every charge of a cancelled order; nobody is charged twice and stock is conserved.',
  ci: true,
  timeLimitMs: 45_000,
  // Every attempt fails while the fault lasts: the tuned threshold of 3 must not open between them.
  serviceEnv: { order: { PAYMENT_BREAKER_THRESHOLD: '12' } },
  steadyState: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }, { kind: 'order-confirmed' }],
  faults: [
    {
      id: 'every-answer-cut',
      kind: 'request',
      target: { link: 'L5' },
      action: { kind: 'drop-mid-body' },
      select: { method: 'POST', path: '/charges' },
      startMs: 0,
      stopMs: 2_500,
    },
  ],
  workload: [
    {
      kind: 'place-orders',
      id: 'checkout',
      count: 8,
      concurrency: 1,
      intervalMs: 100,
      items: [{ productId: 'filter-500g', quantity: 1 }],
    },
  ],
  expectations: {
    responses: [
      { stream: 'checkout', window: { all: true }, statuses: [201, 503], retryAfterOn503: true, minResponses: 8 },
      { stream: 'checkout', window: { duringFault: 'every-answer-cut' }, statuses: [503], minResponses: 1 },
    ],
    invariants: [
      'cancelled-orders-refunded',
      'at-most-one-charge-per-order',
      'stock-conserved',
      'orders-terminal',
      'outbox-published',
    ],
    settleWithinMs: 20_000,
  },
  recovery: {
    withinMs: 10_000,
    probes: [{ kind: 'services-ready' }, { kind: 'order-confirmed' }, { kind: 'breakers-closed' }],
  },
};

export default scenario;
