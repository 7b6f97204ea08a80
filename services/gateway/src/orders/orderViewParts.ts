import { AppError, callDependency, type DependencyResult } from '@harness/kit';
import type { GatewayComponents, NotificationComponents } from '@harness/contracts';
import type { GatewayClients } from '../dependencies.ts';
import type { OrderHistory } from '../history/orderHistory.ts';
import { publicOrderError } from './orderErrors.ts';
import { toPublicOrder, type PublicOrder } from './publicOrder.ts';

export type PublicNotification = GatewayComponents['schemas']['Notification'];
type NotificationList = NotificationComponents['schemas']['NotificationList'];

/** An order as the order view shows it: from the order service, or from the read model. */
export type ViewedOrder =
  | { order: PublicOrder; source: 'order' }
  | { order: PublicOrder; source: 'read-model'; stale: boolean; lagSeconds: number };

/**
 * The order of the order view (REST and GraphQL): from the order service; 404 ORDER_NOT_FOUND
 * when it has none; when it is unavailable (or answers 5xx) from the order history read model if
 * that holds the order, else the public order error (503).
 */
export async function fetchViewedOrder(
  clients: Pick<GatewayClients, 'order'>,
  history: OrderHistory | undefined,
  orderId: string,
): Promise<ViewedOrder> {
  return viewedOrderOf(await fetchOrder(clients, orderId), history, orderId);
}

/** The order service's answer for one order (a `{ data } | { error }` result). */
export function fetchOrder(clients: Pick<GatewayClients, 'order'>, orderId: string) {
  return callDependency(() => clients.order.GET('/orders/{orderId}', { params: { path: { orderId } } }));
}

/** The viewed order from the order service's answer (see fetchViewedOrder). */
export async function viewedOrderOf(
  result: Awaited<ReturnType<typeof fetchOrder>>,
  history: OrderHistory | undefined,
  orderId: string,
): Promise<ViewedOrder> {
  if (!result.error) return { order: toPublicOrder(result.data), source: 'order' };
  if (result.error.kind === 'http' && result.error.status === 404) {
    throw new AppError('ORDER_NOT_FOUND', { detail: `No order ${orderId}.` });
  }
  const unavailable = result.error.kind === 'unavailable' || result.error.status >= 500;
  const projected = unavailable ? await fromReadModel(history, orderId) : undefined;
  if (projected === undefined) throw publicOrderError(result.error);
  return { order: projected, source: 'read-model', ...freshness(history) };
}

/** The order's notifications in the public shape, or undefined when they could not be fetched. */
export async function fetchNotifications(
  clients: Pick<GatewayClients, 'notification'>,
  orderId: string,
): Promise<PublicNotification[] | undefined> {
  return notificationsOf(
    await callDependency(() => clients.notification.GET('/notifications', { params: { query: { orderId } } })),
  );
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
