import { AppError, callDependency, type DependencyResult, type OperationHandler } from '@harness/kit';
import type { GatewayComponents, GatewayOperations, NotificationComponents } from '@harness/contracts';
import type { GatewayClients } from '../dependencies.ts';
import type { OrderHistory } from '../history/orderHistory.ts';
import type { StockLevelsClient } from '../stock/stockLevelsClient.ts';
import { publicOrderError } from './orderErrors.ts';
import { toPublicOrder } from './publicOrder.ts';

type GetOrderView = OperationHandler<GatewayOperations['getOrderView']>;
type PublicNotification = GatewayComponents['schemas']['Notification'];
type NotificationList = NotificationComponents['schemas']['NotificationList'];
type PublicOrder = GatewayComponents['schemas']['Order'];
type StockPart = { stock?: GatewayComponents['schemas']['StockLevel'][] };

/**
 * `GET /api/v1/orders/{orderId}`: the order (order service) and its notifications (notification
 * service), fetched in parallel. The order is essential (404 ORDER_NOT_FOUND); when the order
 * service is unavailable (or answers 5xx) the order comes from the order history read model when
 * it holds it (`source: read-model`, with its lag and whether that is stale), else 503. The
 * notifications are not essential: when they cannot be fetched the view is still 200, with
 * `notifications: []` and `degraded: ["notification"]`. With a stock client (link L11, gRPC), the
 * stock of the order's products follows the order; when it cannot be had in time (deadline,
 * UNAVAILABLE after the retries, open circuit) the view is still 200 with `stock: []` and
 * `degraded` naming `stock`.
 */
export function orderViewHandler(
  clients: Pick<GatewayClients, 'order' | 'notification'>,
  history?: OrderHistory,
  stockLevels?: StockLevelsClient,
): GetOrderView {
  return async ({ params }) => {
    const { orderId } = params;
    const [order, notifications] = await Promise.all([
      callDependency(() => clients.order.GET('/orders/{orderId}', { params: { path: { orderId } } })),
      callDependency(() => clients.notification.GET('/notifications', { params: { query: { orderId } } })),
    ]);
    const items = notificationsOf(notifications);
    const degraded = items === undefined ? ['notification'] : [];
    if (order.error) {
      if (order.error.kind === 'http' && order.error.status === 404) {
        throw new AppError('ORDER_NOT_FOUND', { detail: `No order ${orderId}.` });
      }
      const unavailable = order.error.kind === 'unavailable' || order.error.status >= 500;
      const projected = unavailable ? await fromReadModel(history, orderId) : undefined;
      if (projected === undefined) throw publicOrderError(order.error);
      const stock = await stockOf(stockLevels, projected, degraded);
      return {
        status: 200,
        body: {
          order: projected,
          notifications: items ?? [],
          degraded,
          ...stock,
          source: 'read-model',
          ...freshness(history),
        },
      };
    }
    const publicOrder = toPublicOrder(order.data);
    const stock = await stockOf(stockLevels, publicOrder, degraded);
    return {
      status: 200,
      body: {
        order: publicOrder,
        notifications: items ?? [],
        degraded,
        ...stock,
      },
    };
  };
}

/** The stock of the order's products, or `stock: []` with `stock` added to `degraded`; nothing without a client. */
async function stockOf(
  client: StockLevelsClient | undefined,
  order: PublicOrder,
  degraded: string[],
): Promise<StockPart> {
  if (!client) return {};
  const result = await client.getStockLevels([...new Set(order.items.map((item) => item.productId))]);
  if (result.error) {
    degraded.push('stock');
    return { stock: [] };
  }
  return { stock: result.data.levels.map(({ productId, available }) => ({ productId, available })) };
}

/** The order as the read model holds it; undefined when it does not, or cannot be read. */
async function fromReadModel(history: OrderHistory | undefined, orderId: string) {
  if (!history) return undefined;
  return history.store.findById(orderId).catch(() => undefined);
}

function freshness(history: OrderHistory | undefined): { stale: boolean; lagSeconds: number } {
  return { stale: history?.lag.stale() ?? true, lagSeconds: roundLag(history?.lag.lagSeconds() ?? 0) };
}

/** Seconds to one decimal: enough to judge, and stable in a test. */
export const roundLag = (seconds: number): number => Math.round(seconds * 10) / 10;

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
