import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MatchersV3 } from '@pact-foundation/pact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkPact } from '../src/consumer/linkPact.ts';
import { ids, json, notification, serviceTokenHeader } from './support/examples.ts';
import { gatewayUnderPact, publicAuth } from './support/gatewayUnderPact.ts';

const { eachLike, uuid } = MatchersV3;

// L8: the gateway's order view adds the order's notifications. The order part (L2, not under
// test here) comes from a fixed node:http stand-in; the notification client talks to Pact.
const { pact } = linkPact('L8');

const confirmedOrder = {
  id: ids.order,
  status: 'CONFIRMED',
  items: [{ productId: 'espresso-1kg', quantity: 2, unitPriceCents: 1899 }],
  totalCents: 3798,
  currency: 'EUR',
  createdAt: '2025-11-22T10:15:30Z',
  updatedAt: '2025-11-22T10:15:31Z',
};

let orderStandIn: Server;
let orderUrl: string;
beforeAll(async () => {
  orderStandIn = createServer((request, response) => {
    const id = request.url?.split('/').pop() ?? ids.order;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...confirmedOrder, id }));
  });
  await new Promise<void>((resolve) => orderStandIn.listen(0, '127.0.0.1', resolve));
  orderUrl = `http://127.0.0.1:${(orderStandIn.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => orderStandIn.close(() => resolve())));

async function orderView(notificationUrl: string) {
  const gateway = gatewayUnderPact({ order: orderUrl, notification: notificationUrl });
  try {
    return await gateway.inject({ method: 'GET', url: `/api/v1/orders/${ids.order}`, headers: publicAuth });
  } finally {
    await gateway.close();
  }
}

describe('L8 gateway → notification', () => {
  it('adds the notifications of the order to the view', async () => {
    await pact
      .addInteraction()
      .given('order 3f6c1a52-8d1e-4b8a-9c7e-2a1f5e9d4b10 was notified', { orderId: ids.order })
      .uponReceiving('listNotifications: the notifications of a confirmed order')
      .withRequest('GET', '/notifications', (request) =>
        request.headers(serviceTokenHeader).query({ orderId: uuid(ids.order) }),
      )
      .willRespondWith(200, (response) => response.headers(json).jsonBody({ items: eachLike(notification) }))
      .executeTest(async (mock) => {
        const answer = await orderView(mock.url);
        expect(answer.statusCode).toBe(200);
        expect(answer.json()).toMatchObject({
          degraded: [],
          notifications: [{ orderId: ids.order, kind: 'ORDER_CONFIRMED', channel: 'email' }],
        });
      });
  });

  it('shows an empty list when the order has no notification yet', async () => {
    await pact
      .addInteraction()
      .given('order 7a9d2b14-6c3e-4f58-8b1a-0e2d4c6f8a19 has no notification', { orderId: ids.cancelledOrder })
      .uponReceiving('listNotifications: an order without notifications')
      .withRequest('GET', '/notifications', (request) =>
        request.headers(serviceTokenHeader).query({ orderId: uuid(ids.cancelledOrder) }),
      )
      .willRespondWith(200, (response) => response.headers(json).jsonBody({ items: [] }))
      .executeTest(async (mock) => {
        const gateway = gatewayUnderPact({ order: orderUrl, notification: mock.url });
        const answer = await gateway.inject({
          method: 'GET',
          url: `/api/v1/orders/${ids.cancelledOrder}`,
          headers: publicAuth,
        });
        await gateway.close();
        expect(answer.statusCode).toBe(200);
        expect(answer.json()).toMatchObject({ notifications: [], degraded: [] });
      });
  });
});
