import { defineScenario } from '@harness/ci/config';
import { checkouts } from './checkout.ts';

export default defineScenario({
  id: 'payments-slow-timeout',
  title: 'payments answers after 2.5 s: orders gives up each attempt at its timeout and answers in budget',
  hypothesis:
    'With every answer of payments delayed beyond the 1 s timeout, orders abandons each attempt after ' +
    '1 s and answers a checkout within 3 attempts × 1 s plus its backoff, never hanging; afterwards ' +
    'every order ends terminal and none is charged twice.',
  timeLimitMs: 60_000,
  // A breaker that never opens here, so every attempt meets the slow dependency and its timeout.
  serviceEnv: { orders: { PAYMENTS_BREAKER_THRESHOLD: '1000' } },
  faults: [
    {
      id: 'payments-slow',
      kind: 'toxic',
      target: { link: 'P1' },
      toxic: { type: 'latency', latencyMs: 2_500 },
      direction: 'downstream',
      startMs: 500,
      stopMs: 9_000,
    },
  ],
  workload: [checkouts({ count: 4, startMs: 600, intervalMs: 200, amountCents: 900 })],
  expectations: {
    oracles: [{ link: 'P1', fault: 'payments-slow', only: ['timeout'] }],
    responses: [{ stream: 'checkout', window: { all: true }, statuses: [201, 503], minResponses: 4 }],
    settleWithinMs: 25_000,
  },
  recovery: { withinMs: 10_000 },
});
