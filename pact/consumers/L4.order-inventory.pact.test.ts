import { MatchersV3 } from '@pact-foundation/pact';
import { describe, expect, it } from 'vitest';
import { linkPact } from '../src/consumer/linkPact.ts';
import { currency, json, problem, problemJson, productId, serviceTokenHeader } from './support/examples.ts';
import { orderGateways } from './support/orderUnderPact.ts';

const { eachLike, integer, like } = MatchersV3;

// L4: the order saga reserves and releases stock and prices orders from the catalog, through
// its InventoryGateway (typed client + resilience policy), exactly as the saga calls it.
const { pact } = linkPact('L4');

const reservedOrder = 'c0ffee00-0000-4000-8000-000000000001';
const outOfStockOrder = 'c0ffee00-0000-4000-8000-000000000002';
const unknownProductOrder = 'c0ffee00-0000-4000-8000-000000000003';
const releasedOrder = 'c0ffee00-0000-4000-8000-000000000004';
const unreservedOrder = 'c0ffee00-0000-4000-8000-000000000005';

describe('L4 order → inventory (reservations)', () => {
  it('prices orders from the catalog', async () => {
    await pact
      .addInteraction()
      .given('the catalog has products')
      .uponReceiving('listProducts: the catalog for pricing')
      .withRequest('GET', '/products', (request) => request.headers(serviceTokenHeader))
      .willRespondWith(200, (response) =>
        response
          .headers(json)
          .jsonBody({ items: eachLike({ id: productId('espresso-1kg'), priceCents: integer(1899), currency }) }),
      )
      .executeTest(async (mock) => {
        const outcome = await orderGateways({ inventory: mock.url }).inventory.listProducts();
        expect(outcome).toMatchObject({
          kind: 'products',
          products: [{ id: 'espresso-1kg', priceCents: 1899, currency: 'EUR' }],
        });
      });
  });

  it('reserves the stock of an order', async () => {
    await pact
      .addInteraction()
      .given('product espresso-1kg is in stock', { productId: 'espresso-1kg', available: 10 })
      .uponReceiving('reserveStock: stock is reserved')
      .withRequest('PUT', `/reservations/${reservedOrder}`, (request) =>
        request.headers(serviceTokenHeader).jsonBody({ items: [{ productId: 'espresso-1kg', quantity: 2 }] }),
      )
      .willRespondWith(200, (response) =>
        response.headers(json).jsonBody({ orderId: reservedOrder, status: 'RESERVED' }),
      )
      .executeTest(async (mock) => {
        const outcome = await orderGateways({ inventory: mock.url }).inventory.reserve(reservedOrder, [
          { productId: 'espresso-1kg', quantity: 2 },
        ]);
        expect(outcome).toEqual({ kind: 'reserved' });
      });
  });

  it('learns which product is out of stock', async () => {
    await pact
      .addInteraction()
      .given('product espresso-1kg is out of stock', { productId: 'espresso-1kg', available: 0 })
      .uponReceiving('reserveStock: out of stock')
      .withRequest('PUT', `/reservations/${outOfStockOrder}`, (request) =>
        request.headers(serviceTokenHeader).jsonBody({ items: [{ productId: 'espresso-1kg', quantity: 2 }] }),
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
        const outcome = await orderGateways({ inventory: mock.url }).inventory.reserve(outOfStockOrder, [
          { productId: 'espresso-1kg', quantity: 2 },
        ]);
        expect(outcome).toMatchObject({ kind: 'out_of_stock', productId: 'espresso-1kg' });
      });
  });

  it('learns that a product does not exist', async () => {
    await pact
      .addInteraction()
      .given('product no-such-product does not exist', { productId: 'no-such-product' })
      .uponReceiving('reserveStock: an unknown product')
      .withRequest('PUT', `/reservations/${unknownProductOrder}`, (request) =>
        request.headers(serviceTokenHeader).jsonBody({ items: [{ productId: 'no-such-product', quantity: 1 }] }),
      )
      .willRespondWith(404, (response) =>
        response
          .headers(problemJson)
          .jsonBody(problem(404, 'UNKNOWN_PRODUCT', { productId: productId('no-such-product') })),
      )
      .executeTest(async (mock) => {
        const outcome = await orderGateways({ inventory: mock.url }).inventory.reserve(unknownProductOrder, [
          { productId: 'no-such-product', quantity: 1 },
        ]);
        expect(outcome).toEqual({ kind: 'unknown_product', productId: 'no-such-product' });
      });
  });

  it('releases the stock of a cancelled order', async () => {
    await pact
      .addInteraction()
      .given('order c0ffee00-0000-4000-8000-000000000004 has reserved stock', { orderId: releasedOrder })
      .uponReceiving('releaseStock: a reservation is released')
      .withRequest('POST', `/reservations/${releasedOrder}/release`, (request) => request.headers(serviceTokenHeader))
      .willRespondWith(200, (response) =>
        response.headers(json).jsonBody({ orderId: releasedOrder, status: 'RELEASED' }),
      )
      .executeTest(async (mock) => {
        expect(await orderGateways({ inventory: mock.url }).inventory.release(releasedOrder)).toEqual({
          kind: 'released',
        });
      });
  });

  it('treats a missing reservation as nothing to release', async () => {
    await pact
      .addInteraction()
      .given('order c0ffee00-0000-4000-8000-000000000005 has no reservation', { orderId: unreservedOrder })
      .uponReceiving('releaseStock: no reservation')
      .withRequest('POST', `/reservations/${unreservedOrder}/release`, (request) => request.headers(serviceTokenHeader))
      .willRespondWith(404)
      .executeTest(async (mock) => {
        expect(await orderGateways({ inventory: mock.url }).inventory.release(unreservedOrder)).toEqual({
          kind: 'not_reserved',
        });
      });
  });
});
