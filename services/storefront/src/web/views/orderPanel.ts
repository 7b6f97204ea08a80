import { describeCancellation } from '../checkoutMessages.ts';
import { h, replaceChildrenKeepingFocus } from '../dom.ts';
import type { Notification, OrderView } from '../gatewayTypes.ts';
import { formatMoney } from '../money.ts';

/** The order the page follows. */
export interface OrderPanelState {
  orderId: string;
  /** The last order view read (undefined until the first read). */
  view: OrderView | undefined;
  /** Why the view may be stale or missing (gateway unavailable, order unknown, stopped following). */
  note: string | undefined;
  /** True while the page still re-reads the order. */
  following: boolean;
}

export interface OrderPanelProps {
  order: OrderPanelState;
  /** Product id → name, from the catalog (the id is shown for products not in it). */
  productNames: ReadonlyMap<string, string>;
  onRefresh: () => void;
}

/** Renders the order: id, status, total, items, and the notifications sent for it. */
export function renderOrderPanel(container: HTMLElement, props: OrderPanelProps): void {
  const { order } = props;
  const view = order.view;
  const status = view?.order.status ?? 'PENDING';
  const details = h(
    'dl',
    { class: 'order-details' },
    h('dt', {}, 'Order'),
    h('dd', { 'data-testid': 'order-id' }, order.orderId),
    h('dt', {}, 'Status'),
    h(
      'dd',
      { class: `order-status status-${status.toLowerCase()}`, 'data-testid': 'order-status', 'data-status': status },
      status,
    ),
    view && h('dt', {}, 'Total'),
    view && h('dd', { 'data-testid': 'order-total' }, formatMoney(view.order.totalCents, view.order.currency)),
    view?.order.status === 'CANCELLED' && h('dt', {}, 'Reason'),
    view?.order.status === 'CANCELLED' &&
      h('dd', { 'data-testid': 'cancellation-reason' }, describeCancellation(view.order.cancellationReason)),
  );
  const refresh = h(
    'button',
    { type: 'button', id: 'refresh-order', 'data-testid': 'refresh-order', disabled: order.following },
    order.following ? 'Updating…' : 'Refresh',
  );
  refresh.addEventListener('click', props.onRefresh);
  replaceChildrenKeepingFocus(container, [
    details,
    view ? itemList(view, props.productNames) : false,
    h('h3', {}, 'Notifications'),
    view ? notificationSection(view) : h('p', {}, 'Loading…'),
    order.note !== undefined && h('p', { class: 'note', 'data-testid': 'order-note' }, order.note),
    refresh,
  ]);
}

function itemList(view: OrderView, productNames: ReadonlyMap<string, string>): HTMLUListElement {
  const list = h('ul', { class: 'order-items', 'data-testid': 'order-items' });
  for (const item of view.order.items) {
    list.append(
      h(
        'li',
        { 'data-testid': 'order-item', 'data-product-id': item.productId },
        `${item.quantity} × ${productNames.get(item.productId) ?? item.productId} at ${formatMoney(item.unitPriceCents, view.order.currency)}`,
      ),
    );
  }
  return list;
}

function notificationSection(view: OrderView): DocumentFragment {
  const fragment = document.createDocumentFragment();
  if (view.degraded.includes('notification')) {
    fragment.append(
      h(
        'p',
        { class: 'note', 'data-testid': 'degraded-note' },
        'Notifications cannot be shown right now (the notification service is unavailable). Your order is not affected.',
      ),
    );
  }
  if (view.notifications.length === 0) {
    fragment.append(h('p', { 'data-testid': 'notifications-empty' }, 'No notifications yet.'));
    return fragment;
  }
  const list = h('ul', { class: 'notification-list', 'data-testid': 'notification-list' });
  for (const notification of view.notifications) list.append(notificationItem(notification));
  fragment.append(list);
  return fragment;
}

function notificationItem(notification: Notification): HTMLLIElement {
  return h(
    'li',
    { 'data-testid': 'notification-item', 'data-kind': notification.kind },
    h('span', { class: 'subject' }, notification.subject),
    ' — ',
    h('span', { class: 'recipient' }, `${notification.channel} to ${notification.recipient}`),
    ' — ',
    h('time', { datetime: notification.sentAt }, new Date(notification.sentAt).toLocaleString('en-US')),
  );
}
