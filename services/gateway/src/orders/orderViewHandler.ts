import type { OperationHandler } from '@harness/kit';
import type { GatewayOperations } from '@harness/contracts';
import type { GatewayClients } from '../dependencies.ts';
import type { OrderHistory } from '../history/orderHistory.ts';
import { fetchNotifications, fetchOrder, viewedOrderOf } from './orderViewParts.ts';

type GetOrderView = OperationHandler<GatewayOperations['getOrderView']>;

/**
 * `GET /api/v1/orders/{orderId}`: the order (order service) and its notifications (notification
 * service), fetched in parallel. The order is essential (404 ORDER_NOT_FOUND); when the order
 * service is unavailable (or answers 5xx) the order comes from the order history read model when
 * it holds it (`source: read-model`, with its lag and whether that is stale), else 503. The
 * notifications are not essential: when they cannot be fetched the view is still 200, with
 * `notifications: []` and `degraded: ["notification"]`.
 */
export function orderViewHandler(
  clients: Pick<GatewayClients, 'order' | 'notification'>,
  history?: OrderHistory,
): GetOrderView {
  return async ({ params }) => {
    const { orderId } = params;
    const [order, items] = await Promise.all([fetchOrder(clients, orderId), fetchNotifications(clients, orderId)]);
    const viewed = await viewedOrderOf(order, history, orderId);
    const degraded = items === undefined ? ['notification'] : [];
    const notifications = items ?? [];
    if (viewed.source === 'order') return { status: 200, body: { order: viewed.order, notifications, degraded } };
    return { status: 200, body: { ...viewed, notifications, degraded } };
  };
}
