import { MatchersV3 } from '@pact-foundation/pact';
import { describe, expect, it } from 'vitest';
import { OrderViewDocument } from '@harness/contracts/graphql/gateway';
import { readOrderViewOverGraphql } from '@harness/storefront/testing';
import { linkPact } from '../src/consumer/linkPact.ts';
import { ids, json, notification, order, pactApiKey } from './support/examples.ts';

const { eachLike, like, regex, fromProviderState } = MatchersV3;

// L10: the storefront page reads the order view over GraphQL (readOrderViewOverGraphql, the
// generated OrderView operation, POST /api/graphql). It shares storefront-gateway.json with L1's
// REST interactions and owns the GraphQL ones; the gateway verifies both in one run.
const { pact } = linkPact('L10');

const bearer = { Authorization: regex('^Bearer \\S+$', `Bearer ${pactApiKey}`) };

describe('L10 storefront → gateway (GraphQL)', () => {
  it('follows an order with its notifications over GraphQL', async () => {
    await pact
      .addGraphQLInteraction()
      .given('a confirmed order was notified')
      .uponReceiving('OrderView: a confirmed order with its notification (GraphQL)')
      .withOperation('OrderView')
      .withVariables({ id: fromProviderState('${orderId}', ids.order) })
      .withRequest('POST', '/api/graphql', (request) => request.headers(bearer))
      .withQuery(OrderViewDocument.toString())
      .willRespondWith(200, (response) =>
        response.headers(json).jsonBody({
          data: {
            order: {
              source: 'ORDER',
              stale: null,
              lagSeconds: null,
              order: order('CONFIRMED', { cancellationReason: null }),
              notifications: eachLike(notification),
            },
          },
        }),
      )
      .executeTest(async (mock) => {
        const update = await readOrderViewOverGraphql({ gatewayUrl: mock.url, apiKey: pactApiKey }, ids.order);
        expect(update).toMatchObject({
          kind: 'view',
          view: {
            order: { id: ids.order, status: 'CONFIRMED' },
            notifications: [{ kind: 'ORDER_CONFIRMED' }],
            degraded: [],
          },
        });
      });
  });

  it('stops following an order the shop does not know, over GraphQL', async () => {
    await pact
      .addGraphQLInteraction()
      .given('order 00000000-0000-4000-8000-000000000404 does not exist', { orderId: ids.unknownOrder })
      .uponReceiving('OrderView: an unknown order (GraphQL)')
      .withOperation('OrderView')
      .withVariables({ id: ids.unknownOrder })
      .withRequest('POST', '/api/graphql', (request) => request.headers(bearer))
      .withQuery(OrderViewDocument.toString())
      .willRespondWith(200, (response) =>
        response.headers(json).jsonBody({
          data: { order: null },
          errors: eachLike({ message: like('No order.'), extensions: { code: 'ORDER_NOT_FOUND' } }),
        }),
      )
      .executeTest(async (mock) => {
        const update = await readOrderViewOverGraphql({ gatewayUrl: mock.url, apiKey: pactApiKey }, ids.unknownOrder);
        expect(update).toMatchObject({ kind: 'failed' });
      });
  });
});
