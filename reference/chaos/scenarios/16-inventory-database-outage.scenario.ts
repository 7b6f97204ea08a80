import type { Scenario } from '@harness/chaos';

/**
 * Scenario 16 (full profile only): inventory loses its database for 8 s under steady checkouts.
 * Too long for CI; it shows a dependency's own outage turned into fast, retryable refusals and a
 * clean recovery, with no stock lost.
 */
const scenario: Scenario = {
  id: 'inventory-database-outage',
  title: 'Inventory loses its database for 8 s: checkouts are refused with Retry-After, then succeed, stock conserved',
  hypothesis:
    'While inventory cannot reach PostgreSQL for 8 s, checkouts are answered 201, 202 or 503 with Retry-After (never ' +
    'another 5xx), at least 80 % succeed once the database is back, and every order ends terminal with its stock ' +
    'and charge accounted for.',
  ci: false,
  timeLimitMs: 60_000,
  steadyState: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }, { kind: 'order-confirmed' }],
  faults: [
    { id: 'inventory-db-down', kind: 'proxy-down', target: { database: 'inventory' }, startMs: 2_000, stopMs: 10_000 },
  ],
  workload: [
    {
      kind: 'place-orders',
      id: 'checkout',
      count: 100,
      concurrency: 2,
      intervalMs: 300,
      items: [{ productId: 'milk-frother', quantity: 1 }],
    },
  ],
  expectations: {
    responses: [
      { stream: 'checkout', window: { all: true }, statuses: [201, 202, 503], retryAfterOn503: true, minResponses: 50 },
      { stream: 'checkout', window: { afterFault: 'inventory-db-down' }, minSuccessRatio: 0.8, minResponses: 5 },
    ],
    invariants: [
      'stock-conserved',
      'at-most-one-charge-per-order',
      'cancelled-orders-refunded',
      'orders-terminal',
      'outbox-published',
      'confirmed-notified-once',
    ],
    settleWithinMs: 25_000,
  },
  recovery: {
    withinMs: 15_000,
    probes: [{ kind: 'services-ready' }, { kind: 'order-confirmed' }, { kind: 'breakers-closed' }],
  },
};

export default scenario;
