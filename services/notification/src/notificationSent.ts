import { randomUUID } from 'node:crypto';
import { exchanges, routingKeys, type NotificationSentPayload } from '@harness/contracts';
import type { MessagingTopology, OutboxEvent } from '@harness/kit';

/** The `notifications` exchange notification publishes to (its consumers declare their own queues). */
export const NOTIFICATION_EVENTS_EXCHANGE = exchanges.notificationEvents.name;

/** What notification declares on the bus: the exchange alone. */
export const notificationEventsTopology: MessagingTopology = { exchange: NOTIFICATION_EVENTS_EXCHANGE, queues: [] };

/** The NotificationSent for one recorded e-mail, as an outbox row (published by the outbox relay). */
export function notificationSentEvent(
  notification: Omit<NotificationSentPayload, 'eventId' | 'occurredAt'>,
): OutboxEvent {
  const eventId = randomUUID();
  const payload: NotificationSentPayload = { eventId, occurredAt: notification.sentAt, ...notification };
  return {
    eventId,
    exchange: NOTIFICATION_EVENTS_EXCHANGE,
    routingKey: routingKeys.NotificationSent,
    messageType: 'NotificationSent',
    payload,
    headers: { schemaVersion: 1 },
  };
}
