import type { Scenario } from '@harness/chaos';

/** Scenario 8: notification handles events, its acks never reach the broker, then it dies. */
const scenario: Scenario = {
  id: 'notification-killed-before-ack',
  title: 'Notification killed before its acks: the redelivery is deduplicated',
  hypothesis:
    'When notification has sent e-mails for events whose acks never reached the broker and is then killed (-9), ' +
    'the broker redelivers those events to the restarted service, which recognises them by event id and sends no ' +
    'second e-mail: every confirmed order is notified exactly once.',
  ci: true,
  timeLimitMs: 50_000,
  steadyState: [{ kind: 'services-ready' }, { kind: 'order-confirmed' }],
  faults: [
    {
      id: 'swallow-acks',
      kind: 'toxic',
      target: { broker: 'notification' },
      // Data from notification to the broker (acks, commits, heartbeats, fetches) is held; what the
      // broker sends still arrives. RabbitMQ pushes: every delivery from here on is handled and its
      // ack held. A Kafka consumer pulls: the fetch already at the broker when the toxic starts
      // still returns the next events, whose handling commits nothing. Orders flow from the start,
      // so that fetch has events to return.
      toxic: { type: 'timeout', timeoutMs: 0 },
      direction: 'upstream',
      closeConnectionsOnStop: true,
      startMs: 1_500,
      stopMs: 3_300,
    },
    {
      id: 'kill-notification',
      kind: 'process',
      service: 'notification',
      action: 'kill',
      startMs: 3_000,
      stopMs: 3_600,
    },
  ],
  workload: [
    {
      kind: 'place-orders',
      id: 'checkout',
      count: 14,
      concurrency: 1,
      intervalMs: 200,
      items: [{ productId: 'ceramic-cup-2', quantity: 1 }],
    },
  ],
  expectations: {
    responses: [{ stream: 'checkout', window: { all: true }, statuses: [201], minResponses: 14 }],
    evidence: [
      // The kill proves something only if an event it handled came back and was recognised. On
      // Kafka that comes once the group has timed out the killed member's session (10 s) and handed
      // its partitions to the restarted one.
      {
        kind: 'counter',
        fault: 'kill-notification',
        service: 'notification',
        metric: 'harness_consumer_redeliveries_total',
        min: 1,
        graceMs: 20_000,
      },
      {
        kind: 'counter',
        fault: 'swallow-acks',
        service: 'notification',
        metric: 'harness_consumer_messages_total',
        labels: { outcome: 'processed' },
        min: 1,
      },
    ],
    invariants: ['confirmed-notified-once', 'outbox-published', 'orders-terminal'],
    settleWithinMs: 25_000,
  },
  recovery: { withinMs: 20_000, probes: [{ kind: 'services-ready' }, { kind: 'order-confirmed' }] },
};

export default scenario;
