import type { Scenario } from '@harness/chaos';

/** Scenario 14 (the README walks through it): the order view without its notifications. */
const scenario: Scenario = {
  id: 'slow-notification-degrades-order-view',
  title: 'Slow notification service: the order view degrades instead of failing',
  hypothesis:
    'When notification answers slower than the gateway waits for it (800 ms vs 300 ms), the order view is still ' +
    'served (200, with the order and an empty, degraded notification list), quickly once the gateway breaker to ' +
    'notification has opened; when notification is fast again the breaker closes after its half-open probe.',
  ci: true,
  timeLimitMs: 40_000,
  steadyState: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }, { kind: 'order-confirmed' }],
  faults: [
    {
      id: 'slow-notification',
      kind: 'toxic',
      target: { link: 'L8' },
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
        window: { whileBreaker: { service: 'gateway', dependency: 'notification', state: 'open' } },
        statuses: [200],
        maxP95Ms: 150,
        minResponses: 10,
      },
    ],
    // While it is open the gateway answers the order view without notifications (200, fast).
    oracles: [{ kind: 'breaker', service: 'gateway', dependency: 'notification', closesAgain: true, fallback: true }],
    invariants: ['orders-terminal'],
    settleWithinMs: 10_000,
  },
  recovery: { withinMs: 10_000, probes: [{ kind: 'services-ready' }, { kind: 'breakers-closed' }] },
};

export default scenario;
