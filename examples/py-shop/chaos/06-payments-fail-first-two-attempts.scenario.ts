import { defineScenario } from '@harness/ci/config';
import { checkouts } from './checkout.ts';

export default defineScenario({
  id: 'payments-fail-first-two-attempts',
  title: 'the first two attempts of every charge answer 503: each checkout succeeds on its third, charged once',
  hypothesis:
    'When payments answers 503 to the first two attempts of every charge (a request-level fault: the tap ' +
    'answers, payments never sees them), orders retries each charge exactly twice with the same ' +
    'Idempotency-Key inside its backoff envelope, every checkout is confirmed, and each order is charged once.',
  timeLimitMs: 60_000,
  // A breaker that never opens here: two failures per call would otherwise add up across calls.
  serviceEnv: { orders: { PAYMENTS_BREAKER_THRESHOLD: '1000' } },
  faults: [
    {
      id: 'first-two-fail',
      kind: 'request',
      target: { link: 'P1' },
      action: { kind: 'status', status: 503 },
      select: { method: 'POST', path: '/charges', first: 2, perKey: true },
      startMs: 0,
      stopMs: 8_000,
    },
  ],
  workload: [checkouts({ count: 8, startMs: 100, intervalMs: 100 })],
  expectations: {
    oracles: [{ link: 'P1', fault: 'first-two-fail', only: ['retry'], minRetries: 16 }],
    responses: [{ stream: 'checkout', window: { all: true }, statuses: [201], minResponses: 8 }],
    settleWithinMs: 20_000,
  },
  recovery: { withinMs: 10_000 },
});
