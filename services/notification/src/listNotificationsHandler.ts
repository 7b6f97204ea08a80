import type { NotificationOperations } from '@harness/contracts';
import type { OperationHandler, Queryable } from '@harness/kit';
import { listNotificationsOfOrder } from './notificationStore.ts';

type ListNotifications = OperationHandler<NotificationOperations['listNotifications']>;

/** `GET /notifications?orderId=`: the e-mails sent for one order, oldest first. */
export function listNotificationsHandler(db: Queryable): ListNotifications {
  return async ({ query }) => ({ status: 200, body: { items: await listNotificationsOfOrder(db, query.orderId) } });
}
