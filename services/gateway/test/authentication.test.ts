import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { espresso, placeOrderBody } from './support/fixtures.ts';
import { fullAuth, gatewayUnderTest, readOnlyAuth, serviceToken } from './support/gatewayUnderTest.ts';
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

const placeOrder = (headers: Record<string, string>) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/orders',
    headers: { 'idempotency-key': 'checkout-0001', ...headers },
    payload: placeOrderBody,
  });

describe('API key authentication', () => {
  it('answers 401 problem+json without an Authorization header and calls no dependency', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/products' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(stubs.inventory.calls).toHaveLength(0);
  });

  it('answers 401 for a key that is not configured, without echoing it', async () => {
    const response = await placeOrder({ authorization: 'Bearer not-a-real-key-123' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(response.body).not.toContain('not-a-real-key-123');
    expect(stubs.order.calls).toHaveLength(0);
  });

  it('answers 401 when the key is sent with another scheme than Bearer', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/products',
      headers: { authorization: `Basic ${fullAuth.authorization.slice(7)}` },
    });
    expect(response.statusCode).toBe(401);
  });

  it('refuses a read-only key on POST /orders with 403 before the order service is called', async () => {
    const response = await placeOrder(readOnlyAuth);
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(response.json().detail).toContain('orders:write');
    expect(stubs.order.calls).toHaveLength(0);
  });

  it('refuses a read-only key on the order view with 403', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/orders/3f6c1a52-8d1e-4b8a-9c7e-2a1f5e9d4b10',
      headers: readOnlyAuth,
    });
    expect(response.statusCode).toBe(403);
    expect(stubs.order.calls).toHaveLength(0);
  });

  it('lets a read-only key read the catalog', async () => {
    stubs.inventory.handler = () => ({ status: 200, body: { items: [espresso] } });
    const response = await app.inject({ method: 'GET', url: '/api/v1/products', headers: readOnlyAuth });
    expect(response.statusCode).toBe(200);
  });

  it('serves health without a key at the origin root, not under /api/v1', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/products', headers: fullAuth })).statusCode).toBe(404);
  });
});

describe('internal routes of a public service', () => {
  it('keeps GET and DELETE /admin/resilience behind the service token, not an API key', async () => {
    expect((await app.inject({ url: '/admin/resilience' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/admin/resilience', headers: fullAuth })).statusCode).toBe(401);
    expect((await app.inject({ method: 'DELETE', url: '/admin/resilience', headers: fullAuth })).statusCode).toBe(401);
    const allowed = await app.inject({ url: '/admin/resilience', headers: { 'x-service-token': serviceToken } });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.json()).toHaveProperty('events');
    expect((await app.inject({ url: '/health/live' })).statusCode).toBe(200);
  });
});
