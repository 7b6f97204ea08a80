import { AppError, callDependency, type DependencyResult, type OperationHandler } from '@harness/kit';
import type { GatewayComponents, GatewayOperations, NotificationComponents } from '@harness/contracts';
import type { GatewayClients } from '../dependencies.ts';
import { publicOrderError } from './orderErrors.ts';
import { toPublicOrder } from './publicOrder.ts';

type GetOrderView = OperationHandler<GatewayOperations['getOrderView']>;
type PublicNotification = GatewayComponents['schemas']['Notification'];
type NotificationList = NotificationComponents['schemas']['NotificationList'];

/**
 * `GET /api/v1/orders/{orderId}`: the order (order service) and its notifications (notification
 * service), fetched in parallel. The order is essential (404 ORDER_NOT_FOUND, 503 when order is
 * unavailable); the notifications are not: when they cannot be fetched the view is still 200,
 * with `notifications: []` and `degraded: ["notification"]`.
 */
export function orderViewHandler(clients: Pick<GatewayClients, 'order' | 'notification'>): GetOrderView {
  return async ({ params }) => {
    const { orderId } = params;
    const [order, notifications] = await Promise.all([
      callDependency(() => clients.order.GET('/orders/{orderId}', { params: { path: { orderId } } })),
      callDependency(() => clients.notification.GET('/notifications', { params: { query: { orderId } } })),
    ]);
    if (order.error) {
      if (order.error.kind === 'http' && order.error.status === 404) {
        throw new AppError('ORDER_NOT_FOUND', { detail: `No order ${orderId}.` });
      }
      throw publicOrderError(order.error);
    }
    const items = notificationsOf(notifications);
    return {
      status: 200,
      body: {
        order: toPublicOrder(order.data),
        notifications: items ?? [],
        degraded: items === undefined ? ['notification'] : [],
      },
    };
  };
}

/** The order's notifications in the public shape, or undefined when they could not be fetched. */
function notificationsOf(result: DependencyResult<NotificationList>): PublicNotification[] | undefined {
  if (result.error || !Array.isArray(result.data.items)) return undefined;
  return result.data.items.map((item) => ({
    id: item.id,
    orderId: item.orderId,
    eventId: item.eventId,
    kind: item.kind,
    channel: item.channel,
    recipient: item.recipient,
    subject: item.subject,
    sentAt: item.sentAt,
  }));
}
