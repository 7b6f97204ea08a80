import type { Scenario } from '@harness/chaos';

/**
 * Scenario 19: the gateway's order history read model loses its broker connection while orders
 * flow. The history is still answered (200), marked stale once the lag passes the bound (2 s in
 * the chaos settings), and converges with the write side after the connection is back.
 */
const scenario: Scenario = {
  id: 'read-model-stale-while-broker-away',
  title: "The gateway's read model loses the broker: history answered, marked stale, then caught up",
  hypothesis:
    "When the gateway's connection to the broker is cut for 5 s while orders are placed, checkouts still succeed, " +
    'the order history is still answered (200) and says it is stale once its lag passes the bound, and once the ' +
    'connection is back the read model catches up: it holds every settled order as the order service does.',
  ci: true,
  timeLimitMs: 45_000,
  steadyState: [{ kind: 'services-ready' }, { kind: 'outbox-drained' }, { kind: 'order-confirmed' }],
  faults: [
    { id: 'gateway-broker-cut', kind: 'proxy-down', target: { broker: 'gateway' }, startMs: 1_000, stopMs: 6_000 },
  ],
  workload: [
    {
      kind: 'place-orders',
      id: 'checkout',
      count: 10,
      concurrency: 1,
      intervalMs: 400,
      startMs: 500,
      items: [{ productId: 'ceramic-cup-2', quantity: 1 }],
    },
    { kind: 'read-history', id: 'history', everyMs: 250, count: 40 },
  ],
  expectations: {
    responses: [
      { stream: 'checkout', window: { all: true }, statuses: [201], minResponses: 10 },
      { stream: 'history', window: { all: true }, statuses: [200], bodiesIntact: true, minResponses: 30 },
      // The read model cannot ask its backlog: past the bound, its answers say they are stale.
      {
        stream: 'history',
        window: { duringFault: 'gateway-broker-cut' },
        marked: { mark: 'stale', min: 3 },
        minResponses: 10,
      },
    ],
    evidence: [
      {
        kind: 'gauge-max',
        fault: 'gateway-broker-cut',
        service: 'gateway',
        metric: 'harness_read_model_lag_seconds',
        min: 2,
      },
    ],
    invariants: ['read-model-converged', 'orders-terminal', 'outbox-published', 'confirmed-notified-once'],
    settleWithinMs: 20_000,
  },
  recovery: { withinMs: 15_000, probes: [{ kind: 'services-ready' }, { kind: 'order-confirmed' }] },
};

export default scenario;
