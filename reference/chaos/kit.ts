import { defineKitDomain } from '@harness/chaos';
import { queues, exchanges } from '@harness/contracts';
import { shopBaseline, shopInvariants } from './invariants/index.ts';
import { createGatewayClient } from './shopClient.ts';

/**
 * The reference shop's business as the kit runner needs it (harness.config.ts names this file in
 * `chaos.kit`): the workload places and reads orders through the gateway's public API with the
 * run's demo API key; the canary order buys one bag of coffee; the invariants read the services'
 * databases; poison messages and duplicates go to the order-events exchange of the AsyncAPI
 * contract, whose every queue has a `<queue>.dlq`.
 */
export default defineKitDomain({
  // A stream that reads through the GraphQL link (L10) asks over GraphQL, as the storefront does.
  client: ({ baseUrl, secrets, link }) =>
    createGatewayClient({ baseUrl, apiKey: secrets.demoApiKey, over: link?.kind === 'graphql' ? 'graphql' : 'rest' }),
  canaryOrder: { items: [{ productId: 'filter-500g', quantity: 1 }], paymentToken: 'tok_approve' },
  invariants: shopInvariants,
  baseline: shopBaseline,
  eventsExchange: exchanges.orderEvents.name,
  deadLetterQueues: Object.values(queues).map((queue) => `${queue.name}.dlq`),
  // `harness explore`: checkouts (one declined now and then), order views and catalogue reads, about
  // six seconds of each, so every link and connection carries traffic while a fault is in force.
  exploreWorkload: [
    {
      kind: 'place-orders',
      id: 'checkout',
      count: 36,
      concurrency: 2,
      intervalMs: 200,
      items: [{ productId: 'milk-frother', quantity: 1 }],
    },
    {
      kind: 'place-orders',
      id: 'declined',
      count: 4,
      concurrency: 1,
      intervalMs: 1_000,
      paymentToken: 'tok_decline',
      items: [{ productId: 'milk-frother', quantity: 1 }],
    },
    { kind: 'read-orders', id: 'order-view', everyMs: 250, count: 28 },
    // The catalogue, the only traffic on gateway → inventory.
    { kind: 'browse-products', id: 'catalog', everyMs: 250, count: 24 },
  ],
  // The order view answers without notifications while gateway's breaker towards notification is open.
  fallbackLinks: ['L8'],
});
