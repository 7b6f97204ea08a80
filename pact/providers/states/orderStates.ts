import { randomUUID } from 'node:crypto';
import type { Pool } from '@harness/kit';
import type { ProvidedMessage } from '../../src/verify/verifyProviderLinks.ts';
import type { ProviderStateSetup } from '../../src/verify/stateGuard.ts';
import { providerServiceToken, type RunningApp } from '../support/runningApp.ts';
import { setStock } from './inventoryStates.ts';
import { expectStatus, integerParam, stringParam } from './stateParams.ts';

export interface OrderSystem {
  order: RunningApp;
  inventory: RunningApp;
}

/** Places an order through order's own API (the real saga against real inventory and payment). */
export async function placeOrder(
  system: OrderSystem,
  token: 'tok_approve' | 'tok_decline',
): Promise<{ orderId: string; status: number }> {
  if (!system.inventory.pool) throw new Error('inventory runs without a database');
  await setStock(system.inventory.pool, 'espresso-1kg', 10);
  const answer = await system.order.app.inject({
    method: 'POST',
    url: '/orders',
    headers: {
      'x-service-token': providerServiceToken,
      'content-type': 'application/json',
      'idempotency-key': `state-${randomUUID()}`,
      // As the gateway places it: for an API key (its id is the order's owner, in the events).
      'x-owner-id': 'pact',
    },
    payload: JSON.stringify({ items: [{ productId: 'espresso-1kg', quantity: 2 }], paymentToken: token }),
  });
  // 201/200 carry the order (`id`); 202 and the problems of a cancelled order carry `orderId`.
  const body = answer.json() as { id?: string; orderId?: string };
  const orderId = body.id ?? body.orderId;
  if (!orderId) throw new Error(`placing an order answered ${answer.statusCode}: ${answer.body.slice(0, 300)}`);
  return { orderId, status: answer.statusCode };
}

/**
 * The event order's outbox holds for an order, as the outbox relay publishes it: the payload as
 * content, the stored headers plus eventId/eventType, the JSON content type and the routing key
 * (see the kit's outboxRelay). The saga wrote it with order's event factories.
 */
export async function outboxMessage(pool: Pool, orderId: string, messageType: string): Promise<ProvidedMessage> {
  const { rows } = await pool.query<{
    event_id: string;
    routing_key: string;
    message_type: string;
    payload: unknown;
    headers: Record<string, unknown>;
  }>(
    `SELECT event_id, routing_key, message_type, payload, headers FROM outbox
      WHERE message_type = $1 AND payload->>'orderId' = $2 ORDER BY created_at DESC LIMIT 1`,
    [messageType, orderId],
  );
  const row = rows[0];
  if (!row) throw new Error(`order ${orderId} has no ${messageType} in its outbox`);
  return {
    content: row.payload,
    metadata: {
      ...row.headers,
      eventId: row.event_id,
      eventType: row.message_type,
      contentType: 'application/json',
      routingKey: row.routing_key,
    },
  };
}

/** Provider states of order: HTTP (L2) and the orders whose events the message pacts describe (L6, L7). */
export function orderStates(
  system: OrderSystem,
  messageOrders: Map<string, string>,
): Record<string, ProviderStateSetup> {
  const inventoryPool = system.inventory.pool;
  if (!inventoryPool) throw new Error('inventory runs without a database');
  const stock: ProviderStateSetup = async (params) => {
    await setStock(inventoryPool, stringParam(params, 'productId'), integerParam(params, 'available'));
  };
  return {
    'product espresso-1kg is in stock': stock,
    'product espresso-1kg is out of stock': stock,
    'a confirmed order exists': async () => {
      const { orderId, status } = await placeOrder(system, 'tok_approve');
      expectStatus(`order ${orderId}`, status, 201, 'not confirmed');
      return { orderId };
    },
    'order 00000000-0000-4000-8000-000000000404 does not exist': async (params) => {
      const orderId = stringParam(params, 'orderId');
      const answer = await system.order.app.inject({
        method: 'GET',
        url: `/orders/${orderId}`,
        headers: { 'x-service-token': providerServiceToken },
      });
      expectStatus(`order ${orderId}`, answer.statusCode, 404, answer.body);
    },
    'an order was confirmed': async () => {
      const { orderId, status } = await placeOrder(system, 'tok_approve');
      expectStatus(`order ${orderId}`, status, 201, 'not confirmed');
      messageOrders.set('OrderConfirmed', orderId);
    },
    'an order was cancelled because the payment was declined': async () => {
      const { orderId, status } = await placeOrder(system, 'tok_decline');
      expectStatus(`order ${orderId}`, status, 402, 'not declined');
      messageOrders.set('OrderCancelled', orderId);
    },
  };
}
