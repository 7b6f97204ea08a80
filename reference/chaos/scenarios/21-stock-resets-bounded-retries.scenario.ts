import type { Scenario } from '@harness/chaos';

/** Scenario 21: connection resets on the gRPC link L11 (gateway → inventory stock levels). */
const scenario: Scenario = {
  id: 'stock-resets-bounded-retries',
  title: 'Resets on the gRPC stock link are retried, boundedly, and the order view never fails',
  hypothesis:
    'When 30 % of the connections from gateway to inventory gRPC (L11) are reset, the calls that meet a reset end ' +
    'UNAVAILABLE and are retried at most once (2 attempts per order view, never a storm); every order view is ' +
    'still 200, with its stock or degraded to `stock: []`.',
  ci: true,
  timeLimitMs: 40_000,
  // Resets come in bursts (one HTTP/2 connection carries every call): keep the breaker out of the way
  // so that the retries themselves are what is judged.
  serviceEnv: { gateway: { STOCK_BREAKER_THRESHOLD: '50' } },
  steadyState: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }, { kind: 'order-confirmed' }],
  faults: [
    {
      id: 'reset-stock',
      kind: 'toxic',
      target: { link: 'L11' },
      toxic: { type: 'reset_peer', timeoutMs: 0 },
      direction: 'downstream',
      toxicity: 0.3,
      cycleConnectionsEveryMs: 150,
      startMs: 0,
      stopMs: 6_000,
    },
  ],
  workload: [{ kind: 'read-orders', id: 'views', everyMs: 100, count: 60 }],
  expectations: {
    responses: [{ stream: 'views', window: { all: true }, statuses: [200], bodiesIntact: true, minResponses: 40 }],
    // Judged from the gateway's policy events and metrics, and from the wire: the gRPC tap in front
    // of L11 sees every attempt (grouped into calls by the traceparent each attempt carries).
    oracles: [
      {
        kind: 'retry',
        service: 'gateway',
        dependency: 'inventory-grpc',
        minRetries: 1,
        maxTotalAttempts: 120,
      },
    ],
    evidence: [
      {
        kind: 'counter',
        fault: 'reset-stock',
        service: 'gateway',
        metric: 'harness_retries_total',
        labels: { dependency: 'inventory-grpc' },
        min: 1,
      },
    ],
    invariants: ['orders-terminal'],
    settleWithinMs: 10_000,
  },
  recovery: { withinMs: 10_000, probes: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }] },
};

export default scenario;
