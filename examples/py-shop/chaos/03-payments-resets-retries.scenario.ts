import { defineScenario } from '@harness/ci/config';
import { checkouts } from './checkout.ts';

export default defineScenario({
  id: 'payments-resets-retries',
  title: 'payments answers are lost to resets: bounded, jittered retries with one key, one charge',
  hypothesis:
    'With every answer of payments lost to a TCP reset, orders retries each charge at most 3 times, with ' +
    'the same Idempotency-Key, waiting inside its backoff envelope with jitter; payments charges each ' +
    'order at most once, and every order ends terminal.',
  timeLimitMs: 60_000,
  // A breaker that never opens here, so every call shows its retries.
  serviceEnv: { orders: { PAYMENTS_BREAKER_THRESHOLD: '1000' } },
  faults: [
    {
      id: 'answers-lost',
      kind: 'toxic',
      target: { link: 'P1' },
      toxic: { type: 'reset_peer', timeoutMs: 0 },
      direction: 'downstream',
      startMs: 500,
      stopMs: 5_500,
    },
  ],
  workload: [checkouts({ count: 8, startMs: 600, intervalMs: 150, sku: 'mug', quantity: 2, amountCents: 2400 })],
  expectations: {
    oracles: [{ link: 'P1', fault: 'answers-lost', only: ['retry'], minRetries: 6 }],
    responses: [{ stream: 'checkout', window: { all: true }, statuses: [201, 503], minResponses: 8 }],
    settleWithinMs: 25_000,
  },
  recovery: { withinMs: 10_000 },
});
