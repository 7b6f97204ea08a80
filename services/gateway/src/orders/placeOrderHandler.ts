import { callDependency, type OperationHandler } from '@harness/kit';
import type { GatewayOperations } from '@harness/contracts';
import { principalOf } from '../auth/apiKeyGuard.ts';
import type { GatewayClients } from '../dependencies.ts';
import { publicOrderError } from './orderErrors.ts';
import { publicOrderPath } from './orderPaths.ts';
import { toPublicOrder } from './publicOrder.ts';

type PlaceOrder = OperationHandler<GatewayOperations['placeOrder']>;

/**
 * `POST /api/v1/orders` → order `POST /orders`, with the Idempotency-Key passed through (so the
 * order client may retry it) and the caller's API key id as the order's owner (X-Owner-Id). 201 and 202 keep their bodies; Location (and the 202 statusUrl)
 * point at the public order view; errors map through publicOrderError.
 */
export function placeOrderHandler(clients: Pick<GatewayClients, 'order'>): PlaceOrder {
  return async ({ headers, body, request }) => {
    const idempotencyKey = headers['Idempotency-Key'];
    const owner = principalOf(request)?.keyId;
    const header = { 'Idempotency-Key': idempotencyKey, ...(owner === undefined ? {} : { 'X-Owner-Id': owner }) };
    const result = await callDependency(() => clients.order.POST('/orders', { params: { header }, body }));
    if (result.error) throw publicOrderError(result.error);

    const { data, response } = result;
    if (response.status === 202 && 'orderId' in data) {
      const location = publicOrderPath(data.orderId);
      const retryAfter = response.headers.get('retry-after') ?? '1';
      return {
        status: 202,
        body: { orderId: data.orderId, status: data.status, statusUrl: location },
        headers: { Location: location, 'Retry-After': retryAfter },
      };
    }
    if ('id' in data) {
      const replayed = response.headers.get('idempotent-replayed');
      return {
        status: 201,
        body: toPublicOrder(data),
        headers: {
          Location: publicOrderPath(data.id),
          ...(replayed === null ? {} : { 'Idempotent-Replayed': replayed }),
        },
      };
    }
    throw publicOrderError({ kind: 'unavailable', reason: 'invalid_response' });
  };
}
