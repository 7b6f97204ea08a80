import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { espresso, problem } from './support/fixtures.ts';
import { fullAuth, gatewayUnderTest, serviceToken } from './support/gatewayUnderTest.ts';
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

describe('GET /api/v1/products', () => {
  it('proxies the inventory catalog in the public shape, with the service token', async () => {
    stubs.inventory.handler = () => ({
      status: 200,
      body: { items: [{ ...espresso, initialStock: 100, reserved: 58 }] },
    });
    const response = await app.inject({ method: 'GET', url: '/api/v1/products', headers: fullAuth });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ items: [espresso] });
    expect(stubs.inventory.calls).toHaveLength(1);
    expect(stubs.inventory.calls[0]).toMatchObject({ method: 'GET', url: '/products' });
    expect(stubs.inventory.calls[0]?.headers['x-service-token']).toBe(serviceToken);
    expect(stubs.inventory.calls[0]?.headers.authorization).toBeUndefined();
  });

  it('answers 503 problem+json with Retry-After when inventory fails', async () => {
    stubs.inventory.handler = () => ({ status: 500, body: problem(500, 'INTERNAL') });
    const response = await app.inject({ method: 'GET', url: '/api/v1/products', headers: fullAuth });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.headers['retry-after']).toBeDefined();
    expect(response.json()).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
  });
});

describe('GET /api/v1/products/{productId}', () => {
  it('proxies one product', async () => {
    stubs.inventory.handler = () => ({ status: 200, body: espresso });
    const response = await app.inject({ method: 'GET', url: '/api/v1/products/espresso-1kg', headers: fullAuth });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(espresso);
    expect(stubs.inventory.calls[0]?.url).toBe('/products/espresso-1kg');
  });

  it('answers 404 PRODUCT_NOT_FOUND naming the product', async () => {
    stubs.inventory.handler = () => ({ status: 404, body: problem(404, 'PRODUCT_NOT_FOUND') });
    const response = await app.inject({ method: 'GET', url: '/api/v1/products/no-such-thing', headers: fullAuth });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'PRODUCT_NOT_FOUND', productId: 'no-such-thing' });
  });
});
