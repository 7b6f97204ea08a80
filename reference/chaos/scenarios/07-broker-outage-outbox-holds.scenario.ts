import type { Scenario } from '@harness/chaos';

/** Scenario 7: RabbitMQ goes away while orders flow. */
const scenario: Scenario = {
  id: 'broker-outage-outbox-holds',
  title: 'Broker outage: the outbox holds the events and delivers them all after recovery',
  hypothesis:
    'When the broker stops (rabbitmqctl stop_app: every connection closed) while orders are placed, orders are ' +
    'still confirmed, their events wait in the outbox, and once the broker is back every event is published, ' +
    "every confirmed order is notified exactly once, and the gateway's order history read model, behind while the " +
    'broker was away (its lag rises), catches up with every order.',
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
    evidence: [
      { kind: 'gauge-max', fault: 'broker-down', service: 'order', metric: 'harness_outbox_pending', min: 1 },
      // The read model knows it is behind: its lag grows while the broker cannot be asked.
      { kind: 'gauge-max', fault: 'broker-down', service: 'gateway', metric: 'harness_read_model_lag_seconds', min: 2 },
    ],
    invariants: [
      'outbox-published',
      'confirmed-notified-once',
      'orders-terminal',
      'stock-conserved',
      'read-model-converged',
    ],
    settleWithinMs: 35_000,
  },
  recovery: { withinMs: 30_000, probes: [{ kind: 'services-ready' }, { kind: 'order-confirmed' }] },
};

export default scenario;
