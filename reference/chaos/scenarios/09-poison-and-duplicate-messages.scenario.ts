import type { Scenario } from '@harness/chaos';

/** Scenario 9: malformed and repeated messages on the order-events exchange. */
const scenario: Scenario = {
  id: 'poison-and-duplicate-messages',
  title: 'Poison messages are dead-lettered and duplicates absorbed; the consumers keep going',
  hypothesis:
    'When malformed messages (not JSON, schema violation, no event id) and copies of already delivered events are ' +
    'published to the order-events exchange, the poison goes to the dead-letter queues with a reason, the copies ' +
    'are recognised and dropped, and orders placed afterwards are still notified exactly once.',
  ci: true,
  timeLimitMs: 40_000,
  steadyState: [{ kind: 'services-ready' }, { kind: 'order-confirmed' }],
  faults: [
    {
      id: 'poison',
      kind: 'message',
      action: 'poison',
      startMs: 800,
      messages: [
        {
          name: 'not-json',
          routingKey: 'order.confirmed',
          body: '{"orderId": ',
          messageId: 'c0ffee00-0000-4000-8000-000000000001',
        },
        {
          name: 'schema-violation',
          routingKey: 'order.cancelled',
          body: JSON.stringify({
            eventId: 'c0ffee00-0000-4000-8000-000000000002',
            orderId: 'not-a-uuid',
            reason: 'NOPE',
          }),
          messageId: 'c0ffee00-0000-4000-8000-000000000002',
          headers: { eventType: 'OrderCancelled', eventId: 'c0ffee00-0000-4000-8000-000000000002', schemaVersion: 1 },
        },
        {
          name: 'no-event-id',
          routingKey: 'order.confirmed',
          body: JSON.stringify({ orderId: '00000000-0000-4000-8000-000000000000' }),
        },
      ],
    },
    { id: 'duplicates', kind: 'message', action: 'duplicate', eventType: 'OrderConfirmed', count: 2, startMs: 2_500 },
  ],
  workload: [
    {
      kind: 'place-orders',
      id: 'checkout',
      count: 8,
      concurrency: 1,
      intervalMs: 250,
      items: [{ productId: 'espresso-1kg', quantity: 1 }],
    },
  ],
  expectations: {
    responses: [{ stream: 'checkout', window: { all: true }, statuses: [201], minResponses: 8 }],
    invariants: [
      'dead-letters-accounted',
      'confirmed-notified-once',
      'outbox-published',
      'orders-terminal',
      'read-model-converged',
    ],
    settleWithinMs: 20_000,
  },
  recovery: { withinMs: 10_000, probes: [{ kind: 'services-ready' }, { kind: 'order-confirmed' }] },
};

export default scenario;
