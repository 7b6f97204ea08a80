import type { Scenario } from '@harness/chaos';

/** Scenario 10: inventory's database becomes slow. */
const scenario: Scenario = {
  id: 'inventory-db-latency-bulkhead',
  title: 'Inventory database latency: timeouts and the bulkhead keep unrelated endpoints fast',
  hypothesis:
    'When every query of inventory takes 600 ms more, order gives up on reservations after its timeout, never has ' +
    'more than 2 reservation calls in flight, refuses the excess well before a call could give up on inventory (p95 under 1 s), and the order view (which needs ' +
    'inventory only for its stock part, over gRPC with a deadline, and serves it degraded) stays fast; reservations that completed late are released through OrderCancelled, so stock is conserved.',
  ci: true,
  timeLimitMs: 45_000,
  // One attempt for the gateway's stock lookup (L11): the views keep the latency bound they always
  // had (a retry after a missed deadline would double the wait); scenario 21 judges those retries.
  serviceEnv: {
    order: { INVENTORY_BULKHEAD_LIMIT: '2', INVENTORY_BULKHEAD_QUEUE: '1' },
    gateway: { STOCK_RETRY_ATTEMPTS: '1' },
  },
  steadyState: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }, { kind: 'order-confirmed' }],
  faults: [
    {
      id: 'slow-inventory-db',
      kind: 'toxic',
      target: { database: 'inventory' },
      toxic: { type: 'latency', latencyMs: 600 },
      direction: 'downstream',
      startMs: 0,
      stopMs: 5_000,
    },
  ],
  workload: [
    {
      kind: 'place-orders',
      id: 'burst',
      count: 24,
      concurrency: 8,
      startMs: 300,
      items: [
        { productId: 'milk-frother', quantity: 1 },
        { productId: 'p-bulk', quantity: 1 },
      ],
    },
    // Views go on past the fault and the gateway's half-open wait, so that the stock breaker (L11)
    // the slow database may open gets its probe and closes before recovery is judged.
    { kind: 'read-orders', id: 'views', everyMs: 100, count: 80, startMs: 300 },
  ],
  expectations: {
    responses: [
      {
        stream: 'burst',
        window: { duringFault: 'slow-inventory-db' },
        statuses: [201, 202, 503],
        retryAfterOn503: true,
        minResponses: 10,
      },
      {
        stream: 'views',
        window: { duringFault: 'slow-inventory-db' },
        statuses: [200],
        maxP95Ms: 400,
        bodiesIntact: true,
        minResponses: 20,
      },
    ],
    oracles: [{ kind: 'bulkhead', service: 'order', dependency: 'inventory', minRejections: 1, fastRejectMs: 1_000 }],
    evidence: [
      {
        kind: 'counter',
        fault: 'slow-inventory-db',
        service: 'order',
        metric: 'harness_bulkhead_rejections_total',
        labels: { dependency: 'inventory' },
        min: 1,
      },
    ],
    invariants: [
      'stock-conserved',
      'orders-terminal',
      'outbox-published',
      'confirmed-notified-once',
      'at-most-one-charge-per-order',
    ],
    settleWithinMs: 25_000,
  },
  recovery: {
    withinMs: 15_000,
    probes: [{ kind: 'services-ready' }, { kind: 'order-confirmed' }, { kind: 'breakers-closed' }],
  },
};

export default scenario;
