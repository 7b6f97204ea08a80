import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmationNotification, confirmedOrder, espresso, orderId, problem } from './support/fixtures.ts';
import { fullAuth, gatewayUnderTest, readOnlyAuth, storefrontOrigin } from './support/gatewayUnderTest.ts';
import { dependencyStubs } from './support/stubs.ts';

const { stubs, ready } = dependencyStubs();
let app: FastifyInstance;

beforeAll(async () => {
  await ready;
  app = gatewayUnderTest({
    orderUrl: stubs.order.url,
    inventoryUrl: stubs.inventory.url,
    notificationUrl: stubs.notification.url,
  }).app;
});
afterAll(() => app.close());

const graphql = (query: string, variables?: Record<string, unknown>, headers: Record<string, string> = fullAuth) =>
  app.inject({ method: 'POST', url: '/api/graphql', headers, payload: { query, variables } });

const orderViewQuery = `query OrderView($id: ID!) {
  order(id: $id) {
    source
    order { id status totalCents currency items { productId quantity unitPriceCents } createdAt updatedAt }
    notifications { id kind subject sentAt }
  }
}`;

describe('POST /api/graphql queries', () => {
  it('lists the catalog from inventory in the public shape', async () => {
    stubs.inventory.handler = () => ({ status: 200, body: { items: [{ ...espresso, reservedNote: 'internal' }] } });
    const response = await graphql('{ products { id sku name priceCents currency available } }');
    expect(response.statusCode).toBe(200);
    const { description: _description, ...selected } = espresso;
    expect(response.json()).toEqual({ data: { products: [selected] } });
  });

  it('answers the order view with its notifications', async () => {
    stubs.order.handler = () => ({ status: 200, body: confirmedOrder });
    stubs.notification.handler = () => ({ status: 200, body: { items: [confirmationNotification] } });
    const response = await graphql(orderViewQuery, { id: orderId });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.order.source).toBe('ORDER');
    expect(body.data.order.order).toEqual(confirmedOrder);
    expect(body.data.order.notifications).toEqual([
      {
        id: confirmationNotification.id,
        kind: confirmationNotification.kind,
        subject: confirmationNotification.subject,
        sentAt: confirmationNotification.sentAt,
      },
    ]);
  });

  it('answers a partial order view with a DEPENDENCY_UNAVAILABLE error when notification is down', async () => {
    stubs.order.handler = () => ({ status: 200, body: confirmedOrder });
    stubs.notification.handler = () => ({ status: 500, body: problem(500, 'INTERNAL') });
    const response = await graphql(orderViewQuery, { id: orderId });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.data.order.order.id).toBe(orderId);
    expect(body.data.order.notifications).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({
        path: ['order', 'notifications'],
        extensions: expect.objectContaining({ code: 'DEPENDENCY_UNAVAILABLE', dependency: 'notification' }),
      }),
    ]);
  });

  it('answers ORDER_NOT_FOUND as a field error with a null order', async () => {
    stubs.order.handler = () => ({ status: 404, body: problem(404, 'ORDER_NOT_FOUND') });
    stubs.notification.handler = () => ({ status: 200, body: { items: [] } });
    const response = await graphql(orderViewQuery, { id: orderId });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      data: { order: null },
      errors: [{ path: ['order'], extensions: { code: 'ORDER_NOT_FOUND' } }],
    });
  });

  it('answers a query sent with GET', async () => {
    stubs.inventory.handler = () => ({ status: 200, body: { items: [espresso] } });
    const response = await app.inject({
      method: 'GET',
      url: `/api/graphql?query=${encodeURIComponent('{ products { id } }')}`,
      headers: fullAuth,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ data: { products: [{ id: espresso.id }] } });
  });

  it('refuses a field whose scope the key lacks with FORBIDDEN, answering the fields it may read', async () => {
    stubs.inventory.handler = () => ({ status: 200, body: { items: [espresso] } });
    const response = await graphql(`{ products { id } order(id: "${orderId}") { source } }`, undefined, readOnlyAuth);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      data: { products: [{ id: espresso.id }], order: null },
      errors: [{ path: ['order'], extensions: { code: 'FORBIDDEN' } }],
    });
    expect(stubs.order.calls).toHaveLength(0);
  });

  it('answers PRODUCT_NOT_FOUND for an unknown product and VALIDATION_FAILED for a malformed id', async () => {
    stubs.inventory.handler = () => ({ status: 404, body: problem(404, 'PRODUCT_NOT_FOUND') });
    const unknown = await graphql('{ product(id: "no-such-thing") { id } }');
    expect(unknown.json()).toMatchObject({
      data: { product: null },
      errors: [{ extensions: { code: 'PRODUCT_NOT_FOUND', productId: 'no-such-thing' } }],
    });
    const malformed = await graphql('{ product(id: "Not A Slug") { id } }');
    expect(malformed.json()).toMatchObject({ errors: [{ extensions: { code: 'VALIDATION_FAILED', argument: 'id' } }] });
    expect(stubs.inventory.calls).toHaveLength(1);
  });

  it('answers the storefront cross-origin: preflight, then the query with its CORS headers', async () => {
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/graphql',
      headers: {
        origin: storefrontOrigin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(storefrontOrigin);
    stubs.inventory.handler = () => ({ status: 200, body: { items: [espresso] } });
    const response = await app.inject({
      method: 'POST',
      url: '/api/graphql',
      headers: { ...fullAuth, origin: storefrontOrigin },
      payload: { query: '{ products { id } }' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(storefrontOrigin);
  });
});
