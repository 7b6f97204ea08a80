import type { Scenario } from '@harness/chaos';

/**
 * Scenario 23: the GraphQL link L10 refuses connections (its proxy down) while REST (L1) between
 * the same two services stays up. The storefront's page then shows "The shop could not be reached"
 * and reads again on its next poll (readOrderViewOverGraphql never throws); here the workload
 * plays the page's GraphQL reads and its REST calls.
 */
const scenario: Scenario = {
  id: 'graphql-link-down-rest-answers',
  title: 'With the GraphQL link down, GraphQL reads fail fast and recover, REST order views answer throughout',
  hypothesis:
    'While L10 refuses connections for 3 s, every GraphQL order view fails at once (no connection: status 0, the ' +
    'page\'s "could not be reached" state) instead of hanging, and answers 200 in full again as soon as L10 is back; ' +
    "REST order views through L1's proxy answer 200 in full all along.",
  ci: true,
  timeLimitMs: 40_000,
  steadyState: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }, { kind: 'order-confirmed' }],
  faults: [{ id: 'graphql-down', kind: 'proxy-down', target: { link: 'L10' }, startMs: 0, stopMs: 3_000 }],
  workload: [
    { kind: 'read-orders', id: 'graphql-views', link: 'L10', everyMs: 100, count: 60 },
    { kind: 'read-orders', id: 'rest-views', link: 'L1', everyMs: 100, count: 60 },
  ],
  expectations: {
    responses: [
      // Refused, not held: each failed read comes back within a bound far below a request timeout.
      {
        stream: 'graphql-views',
        window: { duringFault: 'graphql-down' },
        statuses: [0],
        maxLatencyMs: 200,
        minResponses: 10,
      },
      {
        stream: 'graphql-views',
        window: { afterFault: 'graphql-down' },
        statuses: [200],
        bodiesIntact: true,
        minResponses: 20,
      },
      { stream: 'rest-views', window: { all: true }, statuses: [200], bodiesIntact: true, minResponses: 50 },
    ],
    // Proof the fault was in force: GraphQL reads that found no connection.
    evidence: [{ kind: 'responses', fault: 'graphql-down', stream: 'graphql-views', status: 0, min: 5 }],
    invariants: ['orders-terminal'],
    settleWithinMs: 10_000,
  },
  recovery: { withinMs: 10_000, probes: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }] },
};

export default scenario;
