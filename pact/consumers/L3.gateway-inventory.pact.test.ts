import { MatchersV3 } from '@pact-foundation/pact';
import { describe, expect, it } from 'vitest';
import { linkPact } from '../src/consumer/linkPact.ts';
import { json, product, serviceTokenHeader } from './support/examples.ts';
import { gatewayUnderPact, publicAuth } from './support/gatewayUnderPact.ts';

const { eachLike } = MatchersV3;

// L3: the gateway reads the catalog from inventory. Driven through the real gateway app (its
// handlers, its inventory client and resilience policy), answering public requests.
const { pact } = linkPact('L3');

describe('L3 gateway → inventory (catalog)', () => {
  it('lists the catalog in the public shape', async () => {
    await pact
      .addInteraction()
      .given('the catalog has products')
      .uponReceiving('listProducts: the catalog')
      .withRequest('GET', '/products', (request) => request.headers(serviceTokenHeader))
      .willRespondWith(200, (response) => response.headers(json).jsonBody({ items: eachLike(product) }))
      .executeTest(async (mock) => {
        const gateway = gatewayUnderPact({ inventory: mock.url });
        const answer = await gateway.inject({ method: 'GET', url: '/api/v1/products', headers: publicAuth });
        await gateway.close();
        expect(answer.statusCode).toBe(200);
        expect(answer.json().items[0]).toEqual({
          id: 'espresso-1kg',
          sku: 'COF-ESP-1000',
          name: 'Espresso beans 1 kg',
          description: 'Dark roast, whole beans.',
          priceCents: 1899,
          currency: 'EUR',
          available: 42,
        });
      });
  });

  it('gets one product', async () => {
    await pact
      .addInteraction()
      .given('product espresso-1kg exists', { productId: 'espresso-1kg' })
      .uponReceiving('getProduct: an existing product')
      .withRequest('GET', '/products/espresso-1kg', (request) => request.headers(serviceTokenHeader))
      .willRespondWith(200, (response) => response.headers(json).jsonBody(product))
      .executeTest(async (mock) => {
        const gateway = gatewayUnderPact({ inventory: mock.url });
        const answer = await gateway.inject({
          method: 'GET',
          url: '/api/v1/products/espresso-1kg',
          headers: publicAuth,
        });
        await gateway.close();
        expect(answer.statusCode).toBe(200);
        expect(answer.json()).toMatchObject({ id: 'espresso-1kg', priceCents: 1899 });
      });
  });

  it('answers 404 PRODUCT_NOT_FOUND for a product inventory does not have', async () => {
    await pact
      .addInteraction()
      .given('product no-such-product does not exist', { productId: 'no-such-product' })
      .uponReceiving('getProduct: an unknown product')
      .withRequest('GET', '/products/no-such-product', (request) => request.headers(serviceTokenHeader))
      .willRespondWith(404)
      .executeTest(async (mock) => {
        const gateway = gatewayUnderPact({ inventory: mock.url });
        const answer = await gateway.inject({
          method: 'GET',
          url: '/api/v1/products/no-such-product',
          headers: publicAuth,
        });
        await gateway.close();
        expect(answer.statusCode).toBe(404);
        expect(answer.json()).toMatchObject({ code: 'PRODUCT_NOT_FOUND' });
      });
  });
});
