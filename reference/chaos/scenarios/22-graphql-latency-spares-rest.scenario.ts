import type { Scenario } from '@harness/chaos';

/**
 * Scenario 22: latency on the GraphQL link L10 (storefront → gateway, POST /api/graphql) alone.
 * The workload plays the storefront: one stream reads order views over GraphQL through L10's
 * proxy, one over REST through L1's, so the scenario shows that the two links are apart.
 */
const scenario: Scenario = {
  id: 'graphql-latency-spares-rest',
  title: 'Latency on the GraphQL link slows the GraphQL order view only, and it answers in full throughout',
  hypothesis:
    'When every answer on L10 (the GraphQL link, its own proxy) is held 400 ms, the GraphQL order view is still ' +
    'answered 200 with the order asked for and its notifications, only slower, and is fast again once the latency is ' +
    "lifted; REST order views through L1's proxy between the same two services stay fast all along.",
  ci: false,
  timeLimitMs: 40_000,
  steadyState: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }, { kind: 'order-confirmed' }],
  faults: [
    {
      id: 'slow-graphql',
      kind: 'toxic',
      target: { link: 'L10' },
      toxic: { type: 'latency', latencyMs: 400 },
      direction: 'downstream',
      startMs: 0,
      stopMs: 5_000,
    },
  ],
  workload: [
    { kind: 'read-orders', id: 'graphql-views', link: 'L10', everyMs: 100, count: 60 },
    { kind: 'read-orders', id: 'rest-views', link: 'L1', everyMs: 100, count: 60 },
  ],
  expectations: {
    responses: [
      { stream: 'graphql-views', window: { all: true }, statuses: [200], bodiesIntact: true, minResponses: 40 },
      // Below the 400 ms every GraphQL answer took while the latency held: fast again, and (below)
      // REST was never slowed by it. Not tighter: on a busy 2-core machine a view's p95 reaches 180 ms.
      { stream: 'graphql-views', window: { afterFault: 'slow-graphql' }, maxP95Ms: 300, minResponses: 20 },
      {
        stream: 'rest-views',
        window: { duringFault: 'slow-graphql' },
        statuses: [200],
        bodiesIntact: true,
        maxP95Ms: 300,
        minResponses: 20,
      },
    ],
    // Proof the latency was in force: GraphQL views answered while it held them.
    evidence: [{ kind: 'responses', fault: 'slow-graphql', stream: 'graphql-views', status: 200, min: 5 }],
    invariants: ['orders-terminal'],
    settleWithinMs: 10_000,
  },
  recovery: { withinMs: 10_000, probes: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }] },
};

export default scenario;
