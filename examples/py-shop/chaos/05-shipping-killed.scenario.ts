import { defineScenario } from '@harness/ci/config';
import { checkouts } from './checkout.ts';

export default defineScenario({
  id: 'shipping-killed',
  title: 'shipping is killed mid-stream: unacknowledged events are redelivered, each order shipped once',
  hypothesis:
    'When shipping dies (kill -9) while events arrive and comes back 3 s later, RabbitMQ redelivers what ' +
    'it had not acknowledged and its idempotent consumer ships every confirmed order exactly once.',
  timeLimitMs: 60_000,
  faults: [
    { id: 'shipping-dies', kind: 'process', service: 'shipping', action: 'kill', startMs: 1_000, stopMs: 4_000 },
  ],
  workload: [checkouts({ count: 30, intervalMs: 100, sku: 'pot', amountCents: 4500 })],
  expectations: {
    responses: [{ stream: 'checkout', window: { all: true }, statuses: [201], minResponses: 30 }],
    invariants: ['confirmed-shipped-once', 'outbox-published', 'orders-terminal'],
    settleWithinMs: 25_000,
  },
  recovery: { withinMs: 15_000 },
});
