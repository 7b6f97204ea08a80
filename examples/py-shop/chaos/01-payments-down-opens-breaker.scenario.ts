import { defineScenario } from '@harness/ci/config';
import { checkouts } from './checkout.ts';

export default defineScenario({
  id: 'payments-down-opens-breaker',
  title: 'payments refuses connections: the breaker opens, orders answer fast, one probe, recovery',
  hypothesis:
    'While payments is unreachable, orders opens its breaker after at most 5 failed attempts, refuses ' +
    'checkouts fast while it is open, lets one probe through after 2 s, and charges again once payments ' +
    'is back; every order ends terminal and none is charged twice.',
  timeLimitMs: 60_000,
  faults: [{ id: 'payments-down', kind: 'proxy-down', target: { link: 'P1' }, startMs: 1_000, stopMs: 7_000 }],
  workload: [checkouts({ count: 110, intervalMs: 100 })],
  expectations: {
    oracles: [{ link: 'P1', fault: 'payments-down', only: ['breaker'] }],
    responses: [
      { stream: 'checkout', window: { duringFault: 'payments-down' }, statuses: [201, 503], minResponses: 10 },
      { stream: 'checkout', window: { afterFault: 'payments-down' }, minSuccessRatio: 0.5, minResponses: 5 },
    ],
    settleWithinMs: 20_000,
  },
  recovery: { withinMs: 10_000 },
});
