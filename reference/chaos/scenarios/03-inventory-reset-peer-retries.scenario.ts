import type { Scenario } from '@harness/chaos';

/** Scenario 3: connection resets on part of the order → inventory connections. */
const scenario: Scenario = {
  id: 'inventory-reset-peer-retries',
  title: 'Resets on part of the inventory connections are absorbed by bounded retries',
  hypothesis:
    'When 30 % of the connections from order to inventory are reset after inventory processed the request, ' +
    'order retries its idempotent reservation calls (at most 3 attempts, backoff with jitter) and nearly every ' +
    'order is confirmed; the unkeyed release POST is never retried; stock is conserved.',
  ci: true,
  timeLimitMs: 45_000,
  // The breaker counts every attempt, and resets come in bursts (every request on a doomed
  // connection fails): the tuned threshold of 5 would open it and short-circuit the retries.
  serviceEnv: { order: { INVENTORY_BREAKER_THRESHOLD: '15' } },
  steadyState: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }, { kind: 'order-confirmed' }],
  faults: [
    {
      id: 'reset-inventory',
      kind: 'toxic',
      target: { link: 'L4' },
      toxic: { type: 'reset_peer', timeoutMs: 0 },
      direction: 'downstream',
      toxicity: 0.3,
      // Resets kill only the unlucky connections; cycling makes the pool re-roll its luck.
      // Often enough that dozens of connections roll the dice during the workload (with 400 ms, one
      // run in eight saw no reset at all and the scenario failed on its retry evidence).
      cycleConnectionsEveryMs: 150,
      startMs: 0,
      stopMs: 7_000,
    },
  ],
  workload: [
    {
      kind: 'place-orders',
      id: 'checkout',
      count: 40,
      concurrency: 1,
      intervalMs: 50,
      items: [{ productId: 'milk-frother', quantity: 1 }],
    },
    {
      kind: 'place-orders',
      id: 'declined',
      count: 6,
      concurrency: 1,
      intervalMs: 200,
      paymentToken: 'tok_decline',
      items: [{ productId: 'milk-frother', quantity: 1 }],
    },
  ],
  expectations: {
    responses: [
      {
        stream: 'checkout',
        window: { all: true },
        statuses: [201, 503],
        minSuccessRatio: 0.8,
        retryAfterOn503: true,
        minResponses: 15,
      },
      { stream: 'declined', window: { all: true }, statuses: [402, 503], minResponses: 4 },
    ],
    oracles: [{ kind: 'retry', service: 'order', dependency: 'inventory', minRetries: 2 }],
    evidence: [
      {
        kind: 'counter',
        fault: 'reset-inventory',
        service: 'order',
        metric: 'harness_retries_total',
        labels: { dependency: 'inventory' },
        min: 2,
      },
      { kind: 'replayed-calls', fault: 'reset-inventory', link: 'L4', min: 1 },
    ],
    invariants: [
      'stock-conserved',
      'at-most-one-charge-per-order',
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
