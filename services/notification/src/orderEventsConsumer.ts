import {
  exchanges,
  queues,
  validateEvent,
  type MessageName,
  type OrderCancelledPayload,
  type OrderConfirmedPayload,
} from '@harness/contracts';
import {
  asMessageBus,
  type BrokerConnection,
  type MessageBus,
  type Consumer,
  type ConsumedMessage,
  type KitMetrics,
  type Logger,
  type MessageValidation,
  type MessagingTopology,
  type Pool,
  type QueueTopology,
  type Transaction,
} from '@harness/kit';
import { cancellationEmail, confirmationEmail, type OrderEmail } from './orderEmail.ts';
import { recordNotification } from './notificationStore.ts';

const contractQueue = queues.notifyOnOrderEvents;

export interface OrderEventsQueueSettings {
  retryDelayMs: number;
  maxAttempts: number;
  /** The contract's queue name unless given (tests use a queue of their own with the same bindings). */
  name?: string;
}

/** The notification queue as the AsyncAPI contract names and binds it, with its retry settings. */
export function orderEventsQueue(settings: OrderEventsQueueSettings): QueueTopology {
  return {
    name: settings.name ?? contractQueue.name,
    bindings: contractQueue.bindingKeys,
    retryDelayMs: settings.retryDelayMs,
    maxAttempts: settings.maxAttempts,
  };
}

/** The `orders` exchange with the notification queue (and its retry queue and DLQ). */
export function orderEventsTopology(queue: QueueTopology): MessagingTopology {
  return { exchange: exchanges[contractQueue.channel].name, queues: [queue] };
}

const handledMessages: ReadonlySet<string> = new Set(contractQueue.messages);

/**
 * Checks a delivery against the AsyncAPI schemas of its `eventType` (headers and payload), that
 * this queue handles that message, and that the header and payload event ids agree. Anything
 * else is a poison message for the dead-letter queue.
 */
export function validateOrderEvent(payload: unknown, headers: Readonly<Record<string, unknown>>): MessageValidation {
  const validation = validateEvent(headers, payload);
  if (!validation.ok) return { ok: false, errors: validation.errors.map((e) => `${e.part}${e.path} ${e.message}`) };
  const { eventType, headers: eventHeaders, payload: eventPayload } = validation.event;
  if (!handledMessages.has(eventType)) return { ok: false, errors: [`${eventType} is not consumed by this queue`] };
  if (eventHeaders.eventId !== eventPayload.eventId) {
    return { ok: false, errors: ['the eventId header differs from the payload eventId'] };
  }
  return { ok: true };
}

type OrderEventPayload = OrderConfirmedPayload | OrderCancelledPayload;

type OrderEventName = Extract<MessageName, 'OrderConfirmed' | 'OrderCancelled'>;

/** The e-mail for a validated event. */
function emailFor(eventType: OrderEventName, payload: OrderEventPayload): OrderEmail {
  switch (eventType) {
    case 'OrderConfirmed':
      return confirmationEmail(payload as OrderConfirmedPayload);
    case 'OrderCancelled':
      return cancellationEmail(payload as OrderCancelledPayload);
  }
}

/**
 * "Sends" the e-mail in the transaction that records the event id (the kit skips a duplicate):
 * the notification row and its NotificationSent in the outbox, in one statement.
 */
async function sendNotification(tx: Transaction, message: ConsumedMessage<OrderEventPayload>): Promise<void> {
  await recordNotification(tx, {
    orderId: message.payload.orderId,
    eventId: message.payload.eventId,
    email: emailFor(message.eventType as OrderEventName, message.payload),
  });
}

export interface OrderEventsConsumerOptions {
  pool: Pool;
  /** The bus (RabbitMQ or Kafka), or a RabbitMQ connection. */
  broker: MessageBus | BrokerConnection;
  queue: QueueTopology;
  prefetch: number;
  logger?: Logger;
  metrics?: KitMetrics;
}

/**
 * Consumes OrderConfirmed and OrderCancelled idempotently (the kit dedupes by event id), on
 * RabbitMQ or Kafka; each e-mail recorded enqueues one NotificationSent.
 */
export function startOrderEventsConsumer(options: OrderEventsConsumerOptions): Promise<Consumer> {
  return asMessageBus(options.broker).consume<OrderEventPayload>({
    exchange: exchanges[contractQueue.channel].name,
    pool: options.pool,
    queue: options.queue,
    validate: validateOrderEvent,
    handle: sendNotification,
    prefetch: options.prefetch,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
  });
}
