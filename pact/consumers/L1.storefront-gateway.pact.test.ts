import { MatchersV3 } from '@pact-foundation/pact';
import { describe, expect, it } from 'vitest';
import { createGatewayClient, readOrderView, placeOrder } from '@harness/storefront/testing';
import { linkPact } from '../src/consumer/linkPact.ts';
import {
  ids,
  json,
  notification,
  order,
  pactApiKey,
  problem,
  problemJson,
  product,
  productId,
} from './support/examples.ts';

const { eachLike, like, regex, fromProviderState } = MatchersV3;

// L1: the storefront page talks to the gateway's public API through its generated client
// (createGatewayClient) and the functions the page calls: placeOrder, readOrderView, and the
// catalog read (client.GET('/products'), inline in startStorefront's loadCatalog). The order view
// over GraphQL is link L10's pact (L10.storefront-gateway.pact.test.ts).
const { pact } = linkPact('L1');

const bearer = { Authorization: regex('^Bearer \\S+$', `Bearer ${pactApiKey}`) };
const client = (mockUrl: string) => createGatewayClient({ gatewayUrl: mockUrl, apiKey: pactApiKey });
const attempt = (key: string, token: string) => ({
  key,
  request: { items: [{ productId: 'espresso-1kg', quantity: 2 }], paymentToken: token },
});
const keyed = (key: string) => ({ ...bearer, 'Idempotency-Key': regex('^[A-Za-z0-9_-]{8,128}$', key) });

describe('L1 storefront → gateway', () => {
  it('shows the catalog', async () => {
    await pact
      .addInteraction()
      .given('the catalog has products')
      .uponReceiving('listProducts: the catalog')
      .withRequest('GET', '/api/v1/products', (request) => request.headers(bearer))
      .willRespondWith(200, (response) => response.headers(json).jsonBody({ items: eachLike(product) }))
      .executeTest(async (mock) => {
        const { data } = await client(mock.url).GET('/products');
        expect(data?.items[0]).toMatchObject({ id: 'espresso-1kg', name: 'Espresso beans 1 kg', available: 42 });
      });
  });

  it('confirms an order', async () => {
    await pact
      .addInteraction()
      .given('product espresso-1kg is in stock', { productId: 'espresso-1kg', available: 10 })
      .uponReceiving('placeOrder: a confirmed order')
      .withRequest('POST', '/api/v1/orders', (request) =>
        request.headers(keyed('checkout-7f3a9c21')).jsonBody(attempt('checkout-7f3a9c21', 'tok_approve').request),
      )
      .willRespondWith(201, (response) => response.headers(json).jsonBody(order('CONFIRMED')))
      .executeTest(async (mock) => {
        const outcome = await placeOrder(client(mock.url), attempt('checkout-7f3a9c21', 'tok_approve'));
        expect(outcome).toMatchObject({ kind: 'confirmed', order: { id: ids.order, status: 'CONFIRMED' } });
      });
  });

  it('tells the shopper which product is out of stock', async () => {
    await pact
      .addInteraction()
      .given('product espresso-1kg is out of stock', { productId: 'espresso-1kg', available: 0 })
      .uponReceiving('placeOrder: out of stock')
      .withRequest('POST', '/api/v1/orders', (request) =>
        request
          .headers(keyed('checkout-out-of-stock'))
          .jsonBody(attempt('checkout-out-of-stock', 'tok_approve').request),
      )
      .willRespondWith(409, (response) =>
        response.headers(problemJson).jsonBody(
          problem(409, 'OUT_OF_STOCK', {
            productId: productId('espresso-1kg'),
            detail: like('Requested 2, available 0.'),
          }),
        ),
      )
      .executeTest(async (mock) => {
        const outcome = await placeOrder(client(mock.url), attempt('checkout-out-of-stock', 'tok_approve'));
        expect(outcome).toMatchObject({ kind: 'out-of-stock', productId: 'espresso-1kg' });
      });
  });

  it('tells the shopper the payment was declined', async () => {
    await pact
      .addInteraction()
      .given('product espresso-1kg is in stock', { productId: 'espresso-1kg', available: 10 })
      .uponReceiving('placeOrder: payment declined')
      .withRequest('POST', '/api/v1/orders', (request) =>
        request.headers(keyed('checkout-declined')).jsonBody(attempt('checkout-declined', 'tok_decline').request),
      )
      .willRespondWith(402, (response) =>
        response
          .headers(problemJson)
          .jsonBody(problem(402, 'PAYMENT_DECLINED', { detail: like('The payment was declined.') })),
      )
      .executeTest(async (mock) => {
        const outcome = await placeOrder(client(mock.url), attempt('checkout-declined', 'tok_decline'));
        expect(outcome).toMatchObject({ kind: 'declined' });
      });
  });

  it('follows an order with its notifications', async () => {
    await pact
      .addInteraction()
      .given('a confirmed order was notified')
      .uponReceiving('getOrderView: a confirmed order with its notification')
      .withRequest('GET', fromProviderState('/api/v1/orders/${orderId}', `/api/v1/orders/${ids.order}`), (request) =>
        request.headers(bearer),
      )
      .willRespondWith(200, (response) =>
        response
          .headers(json)
          .jsonBody({ order: order('CONFIRMED'), notifications: eachLike(notification), degraded: [] }),
      )
      .executeTest(async (mock) => {
        const update = await readOrderView(client(mock.url), ids.order);
        expect(update).toMatchObject({
          kind: 'view',
          view: { order: { id: ids.order, status: 'CONFIRMED' }, notifications: [{ kind: 'ORDER_CONFIRMED' }] },
        });
      });
  });

  it('stops following an order the shop does not know', async () => {
    await pact
      .addInteraction()
      .given('order 00000000-0000-4000-8000-000000000404 does not exist', { orderId: ids.unknownOrder })
      .uponReceiving('getOrderView: an unknown order')
      .withRequest('GET', `/api/v1/orders/${ids.unknownOrder}`, (request) => request.headers(bearer))
      .willRespondWith(404, (response) => response.headers(problemJson).jsonBody(problem(404, 'ORDER_NOT_FOUND')))
      .executeTest(async (mock) => {
        expect(await readOrderView(client(mock.url), ids.unknownOrder)).toMatchObject({ kind: 'failed' });
      });
  });
});
