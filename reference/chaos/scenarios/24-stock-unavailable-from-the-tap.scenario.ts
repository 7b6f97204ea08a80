import type { Scenario } from '@harness/chaos';

/**
 * Scenario 24: the gRPC tap in front of L11 answers UNAVAILABLE itself (a trailers-only status, a
 * request-level fault) to every second GetStockLevels attempt. Scenario 21 gets UNAVAILABLE from
 * resets on whichever connections they hit; here the calls that meet it are known in advance.
 */
const scenario: Scenario = {
  id: 'stock-unavailable-from-the-tap',
  title: 'The gRPC stock link answers UNAVAILABLE to every second attempt: each such call is retried once',
  hypothesis:
    'When every second GetStockLevels attempt on L11 is answered UNAVAILABLE before it reaches inventory, ' +
    'the gateway retries each such call once (UNAVAILABLE is retried, and the method has no side effects), the ' +
    'retry goes through, and every order view is 200.',
  ci: true,
  timeLimitMs: 40_000,
  steadyState: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }, { kind: 'order-confirmed' }],
  faults: [
    {
      id: 'stock-unavailable',
      kind: 'request',
      target: { link: 'L11' },
      // 503 reads as UNAVAILABLE (14) on a gRPC link; said here for the reader.
      action: { kind: 'status', status: 503, grpcStatus: 14 },
      select: { path: '/harness.inventory.v1.StockLevelService/GetStockLevels', every: 2 },
      startMs: 0,
      stopMs: 5_000,
    },
  ],
  workload: [{ kind: 'read-orders', id: 'views', everyMs: 100, count: 40 }],
  expectations: {
    responses: [{ stream: 'views', window: { all: true }, statuses: [200], bodiesIntact: true, minResponses: 30 }],
    oracles: [{ kind: 'retry', service: 'gateway', dependency: 'inventory-grpc', minRetries: 10 }],
    invariants: ['orders-terminal'],
    settleWithinMs: 10_000,
  },
  recovery: { withinMs: 10_000, probes: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }] },
};

export default scenario;
