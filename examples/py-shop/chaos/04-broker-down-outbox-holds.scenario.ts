import { defineScenario } from '@harness/ci/config';
import { checkouts } from './checkout.ts';

export default defineScenario({
  id: 'broker-down-outbox-holds',
  title: 'orders loses the broker: checkouts go on, the outbox holds the events, shipping gets each once',
  hypothesis:
    'While orders cannot reach RabbitMQ, checkouts are still confirmed and their OrderConfirmed events ' +
    'wait in the outbox; once the broker is back every event is published and every confirmed order is ' +
    'shipped exactly once.',
  timeLimitMs: 60_000,
  faults: [{ id: 'broker-down', kind: 'proxy-down', target: { broker: 'orders' }, startMs: 500, stopMs: 5_000 }],
  workload: [checkouts({ count: 25, intervalMs: 150, quantity: 3, amountCents: 3600 })],
  expectations: {
    responses: [{ stream: 'checkout', window: { duringFault: 'broker-down' }, statuses: [201], minResponses: 10 }],
    invariants: ['outbox-published', 'confirmed-shipped-once', 'orders-terminal', 'at-most-one-charge-per-order'],
    settleWithinMs: 25_000,
  },
  recovery: { withinMs: 10_000 },
});
