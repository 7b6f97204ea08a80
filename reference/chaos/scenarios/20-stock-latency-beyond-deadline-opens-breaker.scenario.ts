import type { Scenario } from '@harness/chaos';

/** Scenario 20: the order view's stock over gRPC (L11) slower than its deadline. */
const scenario: Scenario = {
  id: 'stock-latency-beyond-deadline-opens-breaker',
  title: 'gRPC stock levels slower than their deadline: the breaker opens and the order view degrades',
  hypothesis:
    'When inventory answers GetStockLevels slower than the gateway deadline (800 ms vs 150 ms in the chaos env, link L11 over gRPC), ' +
    'each attempt ends with DEADLINE_EXCEEDED (retried once, the call has no side effects), the breaker to ' +
    'inventory-grpc opens and the order view is still 200 with `stock: []` and `degraded: ["stock"]`, quickly ' +
    'while the circuit is open; when the link is fast again the breaker closes after its half-open probe.',
  ci: true,
  timeLimitMs: 40_000,
  steadyState: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }, { kind: 'order-confirmed' }],
  faults: [
    {
      id: 'slow-stock',
      kind: 'toxic',
      target: { link: 'L11' },
      toxic: { type: 'latency', latencyMs: 800 },
      direction: 'downstream',
      startMs: 0,
      stopMs: 4_000,
    },
  ],
  workload: [{ kind: 'read-orders', id: 'views', everyMs: 100, count: 90 }],
  expectations: {
    responses: [
      { stream: 'views', window: { all: true }, statuses: [200], bodiesIntact: true, minResponses: 60 },
      {
        stream: 'views',
        window: { whileBreaker: { service: 'gateway', dependency: 'inventory-grpc', state: 'open' } },
        statuses: [200],
        maxP95Ms: 150,
        minResponses: 10,
      },
    ],
    // Judged from the gateway's policy events and metrics, and from the wire: the gRPC tap in front
    // of L11 sees every attempt (grouped into calls by the traceparent each attempt carries).
    oracles: [
      {
        kind: 'breaker',
        service: 'gateway',
        dependency: 'inventory-grpc',
        closesAgain: true,
        fallback: true,
      },
    ],
    evidence: [
      {
        kind: 'counter',
        fault: 'slow-stock',
        service: 'gateway',
        metric: 'harness_breaker_transitions_total',
        labels: { dependency: 'inventory-grpc', to: 'open' },
        min: 1,
      },
    ],
    invariants: ['orders-terminal'],
    settleWithinMs: 10_000,
  },
  recovery: { withinMs: 10_000, probes: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }] },
};

export default scenario;
