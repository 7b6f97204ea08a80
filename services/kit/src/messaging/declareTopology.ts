import type { Channel, ChannelModel } from 'amqplib';

/** One consumer queue: bound to the exchange, with its retry and dead-letter queues. */
export interface QueueTopology {
  name: string;
  /** Routing keys (topic patterns) bound to the queue. */
  bindings: readonly string[];
  /** How long a failed message waits in `<name>.retry` before coming back. */
  retryDelayMs: number;
  /** Handler runs before a message goes to `<name>.dlq`. */
  maxAttempts: number;
}

export interface MessagingTopology {
  /** A durable topic exchange. */
  exchange: string;
  queues: readonly QueueTopology[];
}

export const retryQueueOf = (queue: string): string => `${queue}.retry`;
export const deadLetterQueueOf = (queue: string): string => `${queue}.dlq`;

/**
 * Declares (idempotently) the exchange and, per queue: the main queue (dead-lettering to its DLQ
 * when a message is rejected), `<q>.retry` (whose TTL sends messages back to the main queue
 * through the default exchange) and `<q>.dlq`. Queue arguments are fixed once declared:
 * changing them for an existing queue makes the broker refuse the declaration.
 */
export async function declareTopology(channel: Channel, topology: MessagingTopology): Promise<void> {
  await channel.assertExchange(topology.exchange, 'topic', { durable: true });
  for (const queue of topology.queues) {
    await channel.assertQueue(deadLetterQueueOf(queue.name), { durable: true });
    await channel.assertQueue(retryQueueOf(queue.name), {
      durable: true,
      arguments: {
        'x-message-ttl': queue.retryDelayMs,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': queue.name,
      },
    });
    await channel.assertQueue(queue.name, {
      durable: true,
      arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': deadLetterQueueOf(queue.name) },
    });
    for (const routingKey of queue.bindings) await channel.bindQueue(queue.name, topology.exchange, routingKey);
  }
}

/** A broker setup that (re)declares the topology on every connection. */
export function topologySetup(topology: MessagingTopology): (connection: ChannelModel) => Promise<void> {
  return async (connection) => {
    const channel = await connection.createChannel();
    try {
      await declareTopology(channel, topology);
    } finally {
      await channel.close().catch(() => undefined);
    }
  };
}
