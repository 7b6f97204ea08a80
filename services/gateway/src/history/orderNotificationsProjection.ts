import { exchanges, queues, validateEvent, type NotificationSentPayload } from '@harness/contracts';
import {
  asMessageBus,
  type BrokerConnection,
  type ConsumedMessage,
  type Consumer,
  type EffectStatement,
  type KitMetrics,
  type Logger,
  type MessageBus,
  type MessageValidation,
  type MessagingTopology,
  type Pool,
  type QueueTopology,
} from '@harness/kit';

const contractQueue = queues.projectOrderNotifications;
const handledMessages: ReadonlySet<string> = new Set(contractQueue.messages);

export interface OrderNotificationsQueueSettings {
  retryDelayMs: number;
  maxAttempts: number;
  /** The contract's queue name unless given (tests use a queue of their own with the same bindings). */
  name?: string;
}

/** The read model's notifications queue as the AsyncAPI contract names and binds it, with its retry settings. */
export function orderNotificationsQueue(settings: OrderNotificationsQueueSettings): QueueTopology {
  return {
    name: settings.name ?? contractQueue.name,
    bindings: contractQueue.bindingKeys,
    retryDelayMs: settings.retryDelayMs,
    maxAttempts: settings.maxAttempts,
  };
}

/** The `notifications` exchange with the read model's notifications queue (and its retry queue and DLQ). */
export function orderNotificationsTopology(queue: QueueTopology): MessagingTopology {
  return { exchange: exchanges[contractQueue.channel].name, queues: [queue] };
}

/** AsyncAPI validation, a message this queue handles, and the same event id in header and payload. */
export function validateNotificationEvent(
  payload: unknown,
  headers: Readonly<Record<string, unknown>>,
): MessageValidation {
  const validation = validateEvent(headers, payload);
  if (!validation.ok) return { ok: false, errors: validation.errors.map((e) => `${e.part}${e.path} ${e.message}`) };
  const { eventType, headers: eventHeaders, payload: eventPayload } = validation.event;
  if (!handledMessages.has(eventType)) return { ok: false, errors: [`${eventType} is not consumed by this queue`] };
  if (eventHeaders.eventId !== eventPayload.eventId) {
    return { ok: false, errors: ['the eventId header differs from the payload eventId'] };
  }
  return { ok: true };
}

/**
 * The projection as one statement with the consumer's dedupe: one row per notification. The
 * notification id is the key, so a copy of the event published again (a relay that crashed after
 * the broker's ack) adds nothing either.
 */
export function notificationEffect(payload: NotificationSentPayload): EffectStatement {
  return {
    name: 'order-notifications-project',
    text: `INSERT INTO order_notifications (notification_id, order_id, kind, sent_at, event_id)
           SELECT $1::uuid, $2::uuid, $3, $4::timestamptz, $5::uuid FROM recorded
           ON CONFLICT (notification_id) DO NOTHING`,
    values: [payload.notificationId, payload.orderId, payload.kind, payload.sentAt, payload.eventId],
  };
}

export interface OrderNotificationsConsumerOptions {
  pool: Pool;
  /** The bus (RabbitMQ or Kafka), or a RabbitMQ connection. */
  broker: MessageBus | BrokerConnection;
  queue: QueueTopology;
  prefetch: number;
  logger?: Logger;
  metrics?: KitMetrics;
}

/** Consumes NotificationSent idempotently into `order_notifications`. */
export function startOrderNotificationsConsumer(options: OrderNotificationsConsumerOptions): Promise<Consumer> {
  return asMessageBus(options.broker).consume<NotificationSentPayload>({
    exchange: orderNotificationsTopology(options.queue).exchange,
    pool: options.pool,
    queue: options.queue,
    validate: validateNotificationEvent,
    effect: (message: ConsumedMessage<NotificationSentPayload>) => notificationEffect(message.payload),
    prefetch: options.prefetch,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
  });
}
