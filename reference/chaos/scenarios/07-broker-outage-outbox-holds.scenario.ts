import type { Scenario } from '@harness/chaos';

/** Scenario 7: RabbitMQ goes away while orders flow. */
const scenario: Scenario = {
  id: 'broker-outage-outbox-holds',
  title: 'Broker outage: the outbox holds the events and delivers them all after recovery',
  hypothesis:
    'When the broker stops (rabbitmqctl stop_app: every connection closed) while orders are placed, orders are ' +
    'still confirmed, their events wait in the outbox, and once the broker is back every event is published and ' +
    'every confirmed order is notified exactly once.',
  ci: true,
  timeLimitMs: 55_000,
  steadyState: [{ kind: 'services-ready' }, { kind: 'outbox-drained' }, { kind: 'order-confirmed' }],
  faults: [{ id: 'broker-down', kind: 'message', action: 'broker-restart', startMs: 0, stopMs: 4_000 }],
  workload: [
    {
      kind: 'place-orders',
      id: 'checkout',
      count: 10,
      concurrency: 1,
      intervalMs: 300,
      startMs: 500,
      items: [{ productId: 'filter-500g', quantity: 1 }],
    },
  ],
  expectations: {
    responses: [{ stream: 'checkout', window: { all: true }, statuses: [201], minResponses: 10 }],
    evidence: [{ kind: 'gauge-max', fault: 'broker-down', service: 'order', metric: 'harness_outbox_pending', min: 1 }],
    invariants: ['outbox-published', 'confirmed-notified-once', 'orders-terminal', 'stock-conserved'],
    settleWithinMs: 35_000,
  },
  recovery: { withinMs: 30_000, probes: [{ kind: 'services-ready' }, { kind: 'order-confirmed' }] },
};

export default scenario;
