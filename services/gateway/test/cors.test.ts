import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { espresso } from './support/fixtures.ts';
import { fullAuth, gatewayUnderTest, storefrontOrigin } from './support/gatewayUnderTest.ts';
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

describe('CORS for the storefront', () => {
  it('answers the preflight of an order placement from the storefront origin without a key', async () => {
    const response = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/orders',
      headers: {
        origin: storefrontOrigin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, idempotency-key',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(storefrontOrigin);
    const allowed = String(response.headers['access-control-allow-headers']).toLowerCase();
    for (const header of ['authorization', 'content-type', 'idempotency-key']) expect(allowed).toContain(header);
  });

  it('answers 405 with Allow for a known path and an undeclared method, with the CORS headers', async () => {
    const response = await app.inject({
      method: 'DELETE',
      url: '/api/v1/products',
      headers: { origin: storefrontOrigin, ...fullAuth },
    });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
    expect(response.headers['access-control-allow-origin']).toBe(storefrontOrigin);
    expect(response.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
    expect((await app.inject({ method: 'GET', url: '/api/v1/nowhere', headers: fullAuth })).statusCode).toBe(404);
  });

  it('exposes Location and Retry-After on responses to the storefront, errors included', async () => {
    stubs.inventory.handler = () => ({ status: 200, body: { items: [espresso] } });
    const ok = await app.inject({
      method: 'GET',
      url: '/api/v1/products',
      headers: { ...fullAuth, origin: storefrontOrigin },
    });
    expect(ok.headers['access-control-allow-origin']).toBe(storefrontOrigin);
    const exposed = String(ok.headers['access-control-expose-headers']).toLowerCase();
    expect(exposed).toContain('location');
    expect(exposed).toContain('retry-after');

    const refused = await app.inject({ method: 'GET', url: '/api/v1/products', headers: { origin: storefrontOrigin } });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe(storefrontOrigin);
  });

  it('does not allow another origin', async () => {
    const response = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/orders',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});
