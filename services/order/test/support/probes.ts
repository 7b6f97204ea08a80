import type { InventoryComponents, OrderComponents, PaymentComponents } from '@harness/contracts';
import type { FastifyInstance } from 'fastify';
import type { OrderTestSystem } from './testSystem.ts';

type Reservation = InventoryComponents['schemas']['Reservation'];
type Charge = PaymentComponents['schemas']['Charge'];
export type Order = OrderComponents['schemas']['Order'];

/**
 * Reads the other services' state over their own APIs (straight to them, not through the
 * proxies the order service uses): stock, reservations, charges.
 */
export function systemProbes(system: OrderTestSystem) {
  const get = async <T>(base: string, path: string): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${base}${path}`, { headers: { 'x-service-token': system.serviceToken } });
    return { status: response.status, body: (await response.json()) as T };
  };
  return {
    async available(productId: string): Promise<number> {
      const { status, body } = await get<{ available: number }>(system.inventory.url, `/products/${productId}`);
      if (status !== 200) throw new Error(`GET /products/${productId} answered ${status}`);
      return body.available;
    },
    async reservation(orderId: string): Promise<Reservation | undefined> {
      const { status, body } = await get<Reservation>(system.inventory.url, `/reservations/${orderId}`);
      return status === 200 ? body : undefined;
    },
    /**
     * Whether payment holds the refund the order service makes for a charge: asking for it again
     * with the same Idempotency-Key replays it (Idempotent-Replayed: true) when it exists.
     */
    async wasRefunded(chargeId: string): Promise<boolean> {
      const response = await fetch(`${system.payment.url}/charges/${chargeId}/refunds`, {
        method: 'POST',
        headers: {
          'x-service-token': system.serviceToken,
          'content-type': 'application/json',
          'idempotency-key': `refund-${chargeId}`,
        },
        body: JSON.stringify({ reason: 'order cancelled' }),
      });
      return response.status === 201 && response.headers.get('idempotent-replayed') === 'true';
    },
    async charges(orderId: string): Promise<Charge[]> {
      const { status, body } = await get<{ items: Charge[] }>(system.payment.url, `/charges?orderId=${orderId}`);
      if (status !== 200) throw new Error(`GET /charges answered ${status}`);
      return body.items;
    },
  };
}

export interface PlaceOrderRequest {
  items: Array<{ productId: string; quantity: number }>;
  paymentToken: string;
}

/** POST /orders through `inject`, with the service token and an Idempotency-Key. */
export function placeOrderVia(app: FastifyInstance, serviceToken: string) {
  return async (body: unknown, idempotencyKey: string | undefined, extraHeaders: Record<string, string> = {}) => {
    const headers: Record<string, string> = {
      'x-service-token': serviceToken,
      'content-type': 'application/json',
      ...extraHeaders,
    };
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    const response = await app.inject({
      method: 'POST',
      url: '/orders',
      headers,
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.statusCode, headers: response.headers, body: response.json() as Record<string, unknown> };
  };
}

/** GET /orders/{id} through `inject`. */
export function getOrderVia(app: FastifyInstance, serviceToken: string) {
  return async (orderId: string): Promise<{ status: number; body: Order }> => {
    const response = await app.inject({
      method: 'GET',
      url: `/orders/${orderId}`,
      headers: { 'x-service-token': serviceToken },
    });
    return { status: response.statusCode, body: response.json() as Order };
  };
}

export const newKey = (): string => `test-${crypto.randomUUID()}`;
