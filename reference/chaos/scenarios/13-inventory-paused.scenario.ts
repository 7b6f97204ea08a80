import type { Scenario } from '@harness/chaos';

/** Scenario 13: inventory freezes (SIGSTOP) and comes back (SIGCONT). */
const scenario: Scenario = {
  id: 'inventory-paused',
  title: 'Inventory frozen: orders fail fast with 503, and recover when it resumes',
  hypothesis:
    'When the inventory process is stopped (SIGSTOP) for 4 s, reservations time out after their bounded retries ' +
    'and orders are refused with 503 + Retry-After instead of hanging; once it continues (SIGCONT) orders are ' +
    'confirmed again and no stock leaks.',
  ci: true,
  timeLimitMs: 40_000,
  steadyState: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }, { kind: 'order-confirmed' }],
  faults: [
    { id: 'freeze-inventory', kind: 'process', service: 'inventory', action: 'pause', startMs: 0, stopMs: 4_000 },
  ],
  workload: [
    {
      kind: 'place-orders',
      id: 'checkout',
      // Enough to outlast the freeze: once the breaker opens, orders are refused in milliseconds.
      count: 40,
      concurrency: 2,
      intervalMs: 200,
      startMs: 300,
      items: [{ productId: 'moka-pot-6', quantity: 1 }],
    },
  ],
  expectations: {
    responses: [
      {
        stream: 'checkout',
        window: { duringFault: 'freeze-inventory' },
        statuses: [503],
        retryAfterOn503: true,
        maxLatencyMs: 2_500,
        minResponses: 2,
      },
      { stream: 'checkout', window: { afterFault: 'freeze-inventory' }, statuses: [201, 503], minResponses: 1 },
    ],
    oracles: [{ kind: 'retry', service: 'order', dependency: 'inventory', minRetries: 1 }],
    evidence: [
      {
        kind: 'counter',
        fault: 'freeze-inventory',
        service: 'order',
        metric: 'harness_timeouts_total',
        labels: { dependency: 'inventory' },
        min: 1,
      },
    ],
    invariants: ['stock-conserved', 'orders-terminal', 'outbox-published', 'confirmed-notified-once'],
    settleWithinMs: 20_000,
  },
  recovery: {
    withinMs: 12_000,
    probes: [{ kind: 'services-ready' }, { kind: 'order-confirmed' }, { kind: 'breakers-closed' }],
  },
};

export default scenario;
