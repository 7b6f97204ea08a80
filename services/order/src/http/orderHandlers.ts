import { AppError, type OperationHandler } from '@harness/kit';
import type { OrderOperations } from '@harness/contracts';
import type { OrderStore } from '../orders/orderStore.ts';
import { toOrderBody } from '../orders/orderView.ts';
import type { PlaceOrder } from '../saga/placeOrder.ts';

export interface OrderHandlerDeps {
  store: OrderStore;
  placeOrder: PlaceOrder;
}

/** The operations of contracts/openapi/order.yaml, by operationId. */
export function orderHandlers(deps: OrderHandlerDeps) {
  const placeOrder: OperationHandler<OrderOperations['placeOrder']> = async (request) =>
    deps.placeOrder(request.body, request.headers['Idempotency-Key'], request.headers['X-Owner-Id'] ?? null);

  const getOrder: OperationHandler<OrderOperations['getOrder']> = async (request) => {
    const order = await deps.store.findById(request.params.orderId);
    if (!order) throw new AppError('ORDER_NOT_FOUND', { detail: `No order ${request.params.orderId}.` });
    return { status: 200, body: toOrderBody(order) };
  };

  const listOrders: OperationHandler<OrderOperations['listOrders']> = async (request) => {
    const { status, limit } = request.query;
    const orders = await deps.store.list({ limit: limit ?? 20, ...(status === undefined ? {} : { status }) });
    return { status: 200, body: { items: orders.map(toOrderBody) } };
  };

  return { placeOrder, getOrder, listOrders };
}
