import type { Scenario } from '@harness/chaos';

/**
 * Scenario 25: order's connection to the broker turns slow, then drops every connection, while
 * orders flow. The outbox relay publishes late, then not at all, then catches up; nothing is lost
 * and nothing is handled twice. On RabbitMQ and on Kafka (the kafka stage runs it).
 */
const scenario: Scenario = {
  id: 'order-broker-link-slow-then-reset',
  title: "Order's broker link slow, then resetting: the outbox holds, every event arrives once",
  hypothesis:
    "When order's connection to the broker is 800 ms slower each way for 3 s and then resets every connection for " +
    "3 s while orders are placed, every checkout is still confirmed (the events wait in order's outbox), and once " +
    'the link is healthy every event has been published, every confirmed order is notified exactly once and the ' +
    "gateway's read model holds every order as the order service does.",
  ci: false,
  timeLimitMs: 55_000,
  steadyState: [{ kind: 'services-ready' }, { kind: 'outbox-drained' }, { kind: 'order-confirmed' }],
  faults: [
    {
      id: 'order-broker-slow',
      kind: 'toxic',
      target: { broker: 'order' },
      toxic: { type: 'latency', latencyMs: 800 },
      direction: 'both',
      startMs: 1_000,
      stopMs: 4_000,
    },
    {
      id: 'order-broker-reset',
      kind: 'toxic',
      target: { broker: 'order' },
      toxic: { type: 'reset_peer', timeoutMs: 0 },
      direction: 'downstream',
      startMs: 4_000,
      stopMs: 7_000,
    },
  ],
  workload: [
    {
      kind: 'place-orders',
      id: 'checkout',
      count: 16,
      concurrency: 1,
      intervalMs: 400,
      startMs: 500,
      items: [{ productId: 'filter-500g', quantity: 1 }],
    },
  ],
  expectations: {
    responses: [{ stream: 'checkout', window: { all: true }, statuses: [201], minResponses: 16 }],
    evidence: [
      // Events wait in the outbox while the link resets.
      { kind: 'gauge-max', fault: 'order-broker-reset', service: 'order', metric: 'harness_outbox_pending', min: 1 },
    ],
    invariants: ['outbox-published', 'confirmed-notified-once', 'orders-terminal', 'read-model-converged'],
    settleWithinMs: 25_000,
  },
  recovery: { withinMs: 20_000, probes: [{ kind: 'services-ready' }, { kind: 'order-confirmed' }] },
};

export default scenario;
