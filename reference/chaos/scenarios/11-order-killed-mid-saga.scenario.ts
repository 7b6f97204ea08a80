import type { Scenario } from '@harness/chaos';

/** Scenario 11: the order service dies while sagas are waiting for payment. */
const scenario: Scenario = {
  id: 'order-killed-mid-saga',
  title: 'Order killed mid-saga: every order is terminal after the restart',
  hypothesis:
    'When the order service is killed (-9) while sagas wait for a slow payment, the restarted service resumes or ' +
    'compensates each of them once its lease expires: no order stays PENDING, none is charged twice, and stock ' +
    'and notifications match the outcome.',
  ci: true,
  timeLimitMs: 50_000,
  steadyState: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }, { kind: 'order-confirmed' }],
  faults: [
    {
      id: 'slow-payment',
      kind: 'toxic',
      target: { link: 'L5' },
      toxic: { type: 'latency', latencyMs: 700 },
      direction: 'downstream',
      startMs: 0,
      stopMs: 2_500,
    },
    { id: 'kill-order', kind: 'process', service: 'order', action: 'kill', startMs: 900, stopMs: 1_200 },
  ],
  workload: [
    {
      kind: 'place-orders',
      id: 'checkout',
      count: 6,
      concurrency: 6,
      items: [{ productId: 'moka-pot-6', quantity: 1 }],
    },
  ],
  expectations: {
    responses: [
      { stream: 'checkout', window: { all: true }, statuses: [201, 202, 503], retryAfterOn503: true, minResponses: 6 },
    ],
    evidence: [
      {
        kind: 'sql-at-fault',
        fault: 'kill-order',
        service: 'order',
        sql: "SELECT count(*) FROM orders WHERE status = 'PENDING' AND created_at >= $1",
        min: 1,
      },
    ],
    invariants: [
      'orders-terminal',
      'at-most-one-charge-per-order',
      'cancelled-orders-refunded',
      'stock-conserved',
      'outbox-published',
      'confirmed-notified-once',
      'read-model-converged',
    ],
    settleWithinMs: 30_000,
  },
  recovery: { withinMs: 20_000, probes: [{ kind: 'services-ready' }, { kind: 'order-confirmed' }] },
};

export default scenario;
