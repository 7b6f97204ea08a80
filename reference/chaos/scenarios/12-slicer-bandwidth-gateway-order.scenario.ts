import type { Scenario } from '@harness/chaos';

/** Scenario 12: a mangled but working network between gateway and order. */
const scenario: Scenario = {
  id: 'slicer-bandwidth-gateway-order',
  title: 'Slicer, bandwidth and slow close on gateway → order: responses intact',
  hypothesis:
    'When responses from order to gateway arrive in small delayed slices, requests are throttled to 32 KB/s and ' +
    'connections close slowly, every order placed and every order view read through the gateway still succeeds ' +
    'with a complete, correct body.',
  ci: true,
  timeLimitMs: 40_000,
  steadyState: [{ kind: 'services-ready' }, { kind: 'order-confirmed' }],
  faults: [
    {
      id: 'slice-answers',
      kind: 'toxic',
      target: { link: 'L2' },
      toxic: { type: 'slicer', averageSize: 48, sizeVariation: 32, delayUs: 400 },
      direction: 'downstream',
      startMs: 0,
      stopMs: 6_000,
    },
    {
      id: 'throttle-requests',
      kind: 'toxic',
      target: { link: 'L2' },
      toxic: { type: 'bandwidth', rateKBps: 32 },
      direction: 'upstream',
      startMs: 0,
      stopMs: 6_000,
    },
    {
      id: 'slow-close',
      kind: 'toxic',
      target: { link: 'L2' },
      toxic: { type: 'slow_close', delayMs: 300 },
      direction: 'both',
      startMs: 0,
      stopMs: 6_000,
    },
  ],
  workload: [
    {
      kind: 'place-orders',
      id: 'checkout',
      count: 10,
      concurrency: 2,
      intervalMs: 100,
      items: [
        { productId: 'ceramic-cup-2', quantity: 1 },
        { productId: 'filter-500g', quantity: 3 },
      ],
    },
    { kind: 'read-orders', id: 'views', everyMs: 150, count: 30 },
  ],
  expectations: {
    responses: [
      { stream: 'checkout', window: { all: true }, statuses: [201], bodiesIntact: true, minResponses: 10 },
      { stream: 'views', window: { all: true }, statuses: [200], bodiesIntact: true, minResponses: 20 },
    ],
    invariants: ['orders-terminal', 'outbox-published', 'confirmed-notified-once', 'stock-conserved'],
    settleWithinMs: 15_000,
  },
  recovery: { withinMs: 10_000, probes: [{ kind: 'services-ready' }, { kind: 'order-confirmed' }] },
};

export default scenario;
