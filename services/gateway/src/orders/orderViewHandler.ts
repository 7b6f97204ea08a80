import type { OperationHandler } from '@harness/kit';
import type { GatewayComponents, GatewayOperations } from '@harness/contracts';
import type { GatewayClients } from '../dependencies.ts';
import type { OrderHistory } from '../history/orderHistory.ts';
import type { StockLevelsClient } from '../stock/stockLevelsClient.ts';
import { fetchNotifications, fetchOrder, viewedOrderOf } from './orderViewParts.ts';
import type { PublicOrder } from './publicOrder.ts';

type GetOrderView = OperationHandler<GatewayOperations['getOrderView']>;
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
    const [order, items] = await Promise.all([fetchOrder(clients, orderId), fetchNotifications(clients, orderId)]);
    const viewed = await viewedOrderOf(order, history, orderId);
    const degraded = items === undefined ? ['notification'] : [];
    const notifications = items ?? [];
    const stock = await stockOf(stockLevels, viewed.order, degraded);
    if (viewed.source === 'order')
      return { status: 200, body: { order: viewed.order, notifications, degraded, ...stock } };
    return { status: 200, body: { ...viewed, notifications, degraded, ...stock } };
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
