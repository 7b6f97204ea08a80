import {
  exchanges,
  queues,
  validateEvent,
  type OrderCancelledPayload,
  type OrderConfirmedPayload,
} from '@harness/contracts';
import {
  asMessageBus,
  type MessageBus,
  type BrokerConnection,
  type ConsumedMessage,
  type Consumer,
  type EffectStatement,
  type KitMetrics,
  type Logger,
  type MessageValidation,
  type MessagingTopology,
  type Pool,
  type QueueTopology,
} from '@harness/kit';

const contractQueue = queues.projectOrderHistory;
const handledMessages: ReadonlySet<string> = new Set(contractQueue.messages);

export interface OrderHistoryQueueSettings {
  retryDelayMs: number;
  maxAttempts: number;
  /** The contract's queue name unless given (tests use a queue of their own with the same bindings). */
  name?: string;
}

/** The read model's queue as the AsyncAPI contract names and binds it, with its retry settings. */
export function orderHistoryQueue(settings: OrderHistoryQueueSettings): QueueTopology {
  return {
    name: settings.name ?? contractQueue.name,
    bindings: contractQueue.bindingKeys,
    retryDelayMs: settings.retryDelayMs,
    maxAttempts: settings.maxAttempts,
  };
}

/** The `orders` exchange with the read model's queue (and its retry queue and DLQ). */
export function orderHistoryTopology(queue: QueueTopology): MessagingTopology {
  return { exchange: exchanges[contractQueue.channel].name, queues: [queue] };
}

/** AsyncAPI validation, a message this queue handles, and the same event id in header and payload. */
export function validateOrderHistoryEvent(
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

type OrderEventPayload = OrderConfirmedPayload | OrderCancelledPayload;

/** The row an event makes, as the statement's parameters. */
export interface HistoryRow {
  orderId: string;
  ownerId: string | null;
  status: 'CONFIRMED' | 'CANCELLED';
  items: unknown[] | null;
  totalCents: number | null;
  currency: string | null;
  cancellationReason: string | null;
  createdAt: string;
  updatedAt: string;
  eventId: string;
}

/** What an order event says about its order (events of older producers may lack the state). */
export function historyRowOf(eventType: string, payload: OrderEventPayload): HistoryRow {
  const common = {
    orderId: payload.orderId,
    ownerId: payload.ownerId ?? null,
    createdAt: payload.createdAt ?? payload.occurredAt,
    updatedAt: payload.occurredAt,
    eventId: payload.eventId,
  };
  if (eventType === 'OrderConfirmed') {
    const confirmed = payload as OrderConfirmedPayload;
    return {
      ...common,
      status: 'CONFIRMED',
      items: confirmed.items,
      totalCents: confirmed.totalCents,
      currency: confirmed.currency,
      cancellationReason: null,
    };
  }
  const cancelled = payload as OrderCancelledPayload;
  return {
    ...common,
    status: 'CANCELLED',
    items: cancelled.pricedItems ?? null,
    totalCents: cancelled.totalCents ?? null,
    currency: cancelled.currency ?? null,
    cancellationReason: cancelled.reason,
  };
}

/**
 * The projection as one statement with the consumer's dedupe: insert the order's row, or update it
 * when this event is not older than the one it was built from (a late redelivery of an older event
 * leaves the newer state).
 */
export function historyEffect(row: HistoryRow): EffectStatement {
  return {
    name: 'order-history-project',
    text: `INSERT INTO order_history (order_id, owner_id, status, items, total_cents, currency, cancellation_reason,
             created_at, updated_at, event_id)
           SELECT $1::uuid, $2, $3, $4::jsonb, $5::bigint, $6, $7, $8::timestamptz, $9::timestamptz, $10::uuid FROM recorded
           ON CONFLICT (order_id) DO UPDATE SET
             owner_id = coalesce(EXCLUDED.owner_id, order_history.owner_id),
             status = EXCLUDED.status,
             items = coalesce(EXCLUDED.items, order_history.items),
             total_cents = coalesce(EXCLUDED.total_cents, order_history.total_cents),
             currency = coalesce(EXCLUDED.currency, order_history.currency),
             cancellation_reason = EXCLUDED.cancellation_reason,
             updated_at = EXCLUDED.updated_at,
             event_id = EXCLUDED.event_id,
             projected_at = now()
           WHERE order_history.updated_at <= EXCLUDED.updated_at`,
    values: [
      row.orderId,
      row.ownerId,
      row.status,
      row.items === null ? null : JSON.stringify(row.items),
      row.totalCents,
      row.currency,
      row.cancellationReason,
      row.createdAt,
      row.updatedAt,
      row.eventId,
    ],
  };
}

export interface OrderHistoryConsumerOptions {
  pool: Pool;
  /** The bus (RabbitMQ or Kafka), or a RabbitMQ connection. */
  broker: MessageBus | BrokerConnection;
  queue: QueueTopology;
  prefetch: number;
  logger?: Logger;
  metrics?: KitMetrics;
}

/** Consumes OrderConfirmed and OrderCancelled idempotently into `order_history`. */
export function startOrderHistoryConsumer(options: OrderHistoryConsumerOptions): Promise<Consumer> {
  return asMessageBus(options.broker).consume<OrderEventPayload>({
    exchange: orderHistoryTopology(options.queue).exchange,
    pool: options.pool,
    queue: options.queue,
    validate: validateOrderHistoryEvent,
    effect: (message: ConsumedMessage<OrderEventPayload>) =>
      historyEffect(historyRowOf(message.eventType ?? '', message.payload)),
    prefetch: options.prefetch,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
  });
}
