import type { Scenario } from '../../src/scenario/Scenario.ts';

/** A latency on gateway → notification while only orders are placed: nothing crosses that link. */
export const idleLinkFault: Scenario = {
  id: 'fault-on-an-idle-link',
  title: 'A fault no request ever meets',
  hypothesis: 'Latency on gateway → notification does not matter while nobody reads an order view.',
  ci: true,
  timeLimitMs: 30_000,
  steadyState: [{ kind: 'services-ready' }],
  faults: [
    {
      id: 'slow-notification',
      kind: 'toxic',
      target: { link: 'L8' },
      toxic: { type: 'latency', latencyMs: 500 },
      direction: 'downstream',
      startMs: 0,
      stopMs: 1_500,
    },
  ],
  workload: [
    { kind: 'place-orders', id: 'checkout', count: 3, concurrency: 1, items: [{ productId: 'p-bulk', quantity: 1 }] },
  ],
  expectations: {
    responses: [{ stream: 'checkout', window: { all: true }, statuses: [201], minResponses: 3 }],
    invariants: ['orders-terminal'],
    settleWithinMs: 10_000,
  },
  recovery: { withinMs: 5_000, probes: [{ kind: 'services-ready' }] },
};
