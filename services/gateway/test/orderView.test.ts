import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmationNotification, confirmedOrder, orderId, problem } from './support/fixtures.ts';
import { fullAuth, gatewayUnderTest } from './support/gatewayUnderTest.ts';
import { unreachableUrl } from './support/stubService.ts';
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

const getView = (target: FastifyInstance = app) =>
  target.inject({ method: 'GET', url: `/api/v1/orders/${orderId}`, headers: fullAuth });

const answerOrder = () => ({ status: 200, body: { ...confirmedOrder, internalNote: 'not public' } });

describe('GET /api/v1/orders/{orderId}', () => {
  it('aggregates the order and its notifications', async () => {
    stubs.order.handler = answerOrder;
    stubs.notification.handler = () => ({
      status: 200,
      body: { items: [{ ...confirmationNotification, body: 'secret text' }] },
    });
    const response = await getView();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ order: confirmedOrder, notifications: [confirmationNotification], degraded: [] });
    expect(stubs.order.calls[0]?.url).toBe(`/orders/${orderId}`);
    expect(stubs.notification.calls[0]?.url).toBe(`/notifications?orderId=${orderId}`);
  });

  it('serves a degraded view (200) when notification answers 500', async () => {
    stubs.order.handler = answerOrder;
    stubs.notification.handler = () => ({ status: 500, body: problem(500, 'INTERNAL') });
    const response = await getView();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ order: confirmedOrder, notifications: [], degraded: ['notification'] });
  });

  it('serves a degraded view quickly when notification hangs', async () => {
    stubs.order.handler = answerOrder;
    stubs.notification.handler = () => ({ hang: true });
    const started = Date.now();
    const response = await getView();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ notifications: [], degraded: ['notification'] });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('answers 404 ORDER_NOT_FOUND when order has no such order', async () => {
    stubs.order.handler = () => ({ status: 404, body: problem(404, 'ORDER_NOT_FOUND') });
    stubs.notification.handler = () => ({ status: 200, body: { items: [] } });
    const response = await getView();
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'ORDER_NOT_FOUND' });
  });
});

describe('order view with a dependency down', () => {
  it('is degraded, not failed, when notification is unreachable; then stops calling it once the breaker opens', async () => {
    stubs.order.handler = answerOrder;
    const { app: isolated, events } = gatewayUnderTest({
      orderUrl: stubs.order.url,
      inventoryUrl: stubs.inventory.url,
      notificationUrl: await unreachableUrl(),
    });
    try {
      for (let request = 0; request < 7; request++) {
        const response = await getView(isolated);
        expect(response.statusCode).toBe(200);
        expect(response.json()).toMatchObject({ order: confirmedOrder, notifications: [], degraded: ['notification'] });
      }
      const notificationEvents = events.list().filter((event) => event.dependency === 'notification');
      expect(notificationEvents).toContainEqual(expect.objectContaining({ type: 'breaker', to: 'open' }));
      expect(notificationEvents.filter((event) => event.type === 'short_circuited').length).toBeGreaterThan(0);
    } finally {
      await isolated.close();
    }
  });

  it('answers 503 problem+json with Retry-After when order is unreachable', async () => {
    stubs.notification.handler = () => ({ status: 200, body: { items: [] } });
    const { app: isolated } = gatewayUnderTest({
      orderUrl: await unreachableUrl(),
      inventoryUrl: stubs.inventory.url,
      notificationUrl: stubs.notification.url,
    });
    try {
      const response = await getView(isolated);
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(response.headers['retry-after']).toBeDefined();
      expect(response.json()).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    } finally {
      await isolated.close();
    }
  });
});
