import { MatchersV3 } from '@pact-foundation/pact';
import { describe, expect, it } from 'vitest';
import { linkPact } from '../src/consumer/linkPact.ts';
import { ids, json, order, problem, problemJson, productId, serviceTokenHeader } from './support/examples.ts';
import { gatewayUnderPact, publicAuth } from './support/gatewayUnderPact.ts';

const { like, regex, fromProviderState } = MatchersV3;

// L2: the gateway places and reads orders. Driven through the real gateway app: a public
// request comes in, the gateway's order client (with its policy) calls the Pact mock server.
const { pact } = linkPact('L2');

const placeOrderBody = (token: string, product = 'espresso-1kg') => ({
  items: [{ productId: product, quantity: 2 }],
  paymentToken: token,
});
// The gateway names the order's owner: the id of the API key it authenticated (`pact` here).
const keyHeader = (key: string) => ({
  ...serviceTokenHeader,
  'Idempotency-Key': regex('^[A-Za-z0-9_-]{8,128}$', key),
  'X-Owner-Id': regex('^[A-Za-z0-9._-]{1,64}$', 'pact'),
});

async function placeThroughGateway(mockUrl: string, key: string, body: unknown) {
  const gateway = gatewayUnderPact({ order: mockUrl });
  try {
    return await gateway.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { ...publicAuth, 'idempotency-key': key, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
  } finally {
    await gateway.close();
  }
}

describe('L2 gateway → order', () => {
  it('relays a confirmed order with the public Location', async () => {
    await pact
      .addInteraction()
      .given('product espresso-1kg is in stock', { productId: 'espresso-1kg', available: 10 })
      .uponReceiving('placeOrder: a confirmed order')
      .withRequest('POST', '/orders', (request) =>
        request.headers(keyHeader('checkout-confirmed-1')).jsonBody(placeOrderBody('tok_approve')),
      )
      .willRespondWith(201, (response) => response.headers(json).jsonBody(order('CONFIRMED')))
      .executeTest(async (mock) => {
        const answer = await placeThroughGateway(mock.url, 'checkout-confirmed-1', placeOrderBody('tok_approve'));
        expect(answer.statusCode).toBe(201);
        expect(answer.json()).toMatchObject({ id: ids.order, status: 'CONFIRMED', totalCents: 3798 });
        expect(answer.headers.location).toBe(`/api/v1/orders/${ids.order}`);
      });
  });

  it('relays 409 OUT_OF_STOCK naming the product', async () => {
    await pact
      .addInteraction()
      .given('product espresso-1kg is out of stock', { productId: 'espresso-1kg', available: 0 })
      .uponReceiving('placeOrder: out of stock')
      .withRequest('POST', '/orders', (request) =>
        request.headers(keyHeader('checkout-out-of-stock-1')).jsonBody(placeOrderBody('tok_approve')),
      )
      .willRespondWith(409, (response) =>
        response.headers(problemJson).jsonBody(problem(409, 'OUT_OF_STOCK', { productId: productId('espresso-1kg') })),
      )
      .executeTest(async (mock) => {
        const answer = await placeThroughGateway(mock.url, 'checkout-out-of-stock-1', placeOrderBody('tok_approve'));
        expect(answer.statusCode).toBe(409);
        expect(answer.json()).toMatchObject({ code: 'OUT_OF_STOCK', productId: 'espresso-1kg' });
      });
  });

  it('relays 402 PAYMENT_DECLINED', async () => {
    await pact
      .addInteraction()
      .given('product espresso-1kg is in stock', { productId: 'espresso-1kg', available: 10 })
      .uponReceiving('placeOrder: payment declined')
      .withRequest('POST', '/orders', (request) =>
        request.headers(keyHeader('checkout-declined-1')).jsonBody(placeOrderBody('tok_decline')),
      )
      .willRespondWith(402, (response) =>
        response
          .headers(problemJson)
          .jsonBody(problem(402, 'PAYMENT_DECLINED', { detail: like('The payment was declined.') })),
      )
      .executeTest(async (mock) => {
        const answer = await placeThroughGateway(mock.url, 'checkout-declined-1', placeOrderBody('tok_decline'));
        expect(answer.statusCode).toBe(402);
        expect(answer.json()).toMatchObject({ code: 'PAYMENT_DECLINED' });
      });
  });

  it('reads an order for the order view', async () => {
    await pact
      .addInteraction()
      .given('a confirmed order exists')
      .uponReceiving('getOrder: a confirmed order')
      .withRequest('GET', fromProviderState('/orders/${orderId}', `/orders/${ids.order}`), (request) =>
        request.headers(serviceTokenHeader),
      )
      .willRespondWith(200, (response) => response.headers(json).jsonBody(order('CONFIRMED')))
      .executeTest(async (mock) => {
        // Notification is not under test here: unreachable, so the view comes back degraded.
        const gateway = gatewayUnderPact({ order: mock.url });
        const answer = await gateway.inject({ method: 'GET', url: `/api/v1/orders/${ids.order}`, headers: publicAuth });
        await gateway.close();
        expect(answer.statusCode).toBe(200);
        expect(answer.json()).toMatchObject({
          order: { id: ids.order, status: 'CONFIRMED' },
          degraded: ['notification'],
        });
      });
  });

  it('maps an unknown order to 404 ORDER_NOT_FOUND', async () => {
    await pact
      .addInteraction()
      .given('order 00000000-0000-4000-8000-000000000404 does not exist', { orderId: ids.unknownOrder })
      .uponReceiving('getOrder: an unknown order')
      .withRequest('GET', `/orders/${ids.unknownOrder}`, (request) => request.headers(serviceTokenHeader))
      .willRespondWith(404)
      .executeTest(async (mock) => {
        const gateway = gatewayUnderPact({ order: mock.url });
        const answer = await gateway.inject({
          method: 'GET',
          url: `/api/v1/orders/${ids.unknownOrder}`,
          headers: publicAuth,
        });
        await gateway.close();
        expect(answer.statusCode).toBe(404);
        expect(answer.json()).toMatchObject({ code: 'ORDER_NOT_FOUND' });
      });
  });
});
