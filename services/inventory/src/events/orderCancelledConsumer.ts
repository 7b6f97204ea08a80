import { queues, validateEvent, type OrderCancelledPayload } from '@harness/contracts';
import {
  asMessageBus,
  type BrokerConnection,
  type MessageBus,
  type Consumer,
  type KitMetrics,
  type Logger,
  type MessagingTopology,
  type Pool,
} from '@harness/kit';
import { releaseStockOnOrderCancelled } from './releaseStockOnOrderCancelled.ts';

export interface OrderCancelledQueueSettings {
  /** How long a failed message waits before it is retried. */
  retryDelayMs: number;
  /** Handler runs before a message is dead-lettered. */
  maxAttempts: number;
}

const contractQueue = queues.releaseStockOnOrderCancelled;

/**
 * The broker topology inventory consumes from (link L7), as the AsyncAPI contract names it:
 * the `orders` exchange and the `inventory.order-cancelled` queue bound to `order.cancelled`.
 * Tests pass other names so that runs do not share queues.
 */
export function orderCancelledTopology(
  settings: OrderCancelledQueueSettings,
  names: { exchange: string; queue: string } = { exchange: contractQueue.exchange, queue: contractQueue.name },
): MessagingTopology {
  return {
    exchange: names.exchange,
    queues: [{ name: names.queue, bindings: [...contractQueue.bindingKeys], ...settings }],
  };
}

export interface OrderCancelledConsumerDeps {
  pool: Pool;
  /** The bus (RabbitMQ or Kafka), or a RabbitMQ connection. */
  broker: MessageBus | BrokerConnection;
  topology: MessagingTopology;
  logger?: Logger;
  metrics?: KitMetrics;
  prefetch?: number;
}

/**
 * Consumes OrderCancelled and releases the order's stock, once per event id (the kit records the
 * id in the same transaction). Invalid messages are dead-lettered at once.
 */
export async function startOrderCancelledConsumer(deps: OrderCancelledConsumerDeps): Promise<Consumer> {
  const queue = deps.topology.queues[0];
  if (queue === undefined) throw new Error('the order-cancelled topology has no queue');
  return asMessageBus(deps.broker).consume<OrderCancelledPayload>({
    exchange: deps.topology.exchange,
    pool: deps.pool,
    queue,
    validate: (payload, headers) => {
      const result = validateEvent(headers, payload);
      if (!result.ok)
        return { ok: false, errors: result.errors.map((e) => `${e.part} ${e.path || '(root)'} ${e.message}`) };
      if (result.event.eventType !== 'OrderCancelled') {
        return { ok: false, errors: [`headers /eventType ${result.event.eventType} is not consumed here`] };
      }
      return { ok: true };
    },
    handle: async (tx, message) => {
      const outcome = await releaseStockOnOrderCancelled(tx, message.payload);
      deps.logger?.info(
        { orderId: message.payload.orderId, outcome: outcome.kind },
        'stock released for cancelled order',
      );
    },
    ...(deps.prefetch === undefined ? {} : { prefetch: deps.prefetch }),
    ...(deps.logger === undefined ? {} : { logger: deps.logger }),
    ...(deps.metrics === undefined ? {} : { metrics: deps.metrics }),
  });
}
