import {
  createMetrics,
  type BrokerConnection,
  type ConnectionSetup,
  type KitMetrics,
  type PublishRequest,
} from '@harness/kit';
import { splitMessageMetadata } from '../pacts/messageMetadata.ts';

/** A message as a Pact message interaction describes it (content + metadata). */
export interface PactMessage {
  contents: { content: unknown };
  metadata: Record<string, unknown>;
}

/** The outcomes the kit's consumer counts per delivery (harness_consumer_messages_total). */
export type ConsumerOutcome = 'processed' | 'duplicate' | 'retried' | 'dead_lettered' | 'requeued';

export interface Delivered {
  /** What the kit's consumer made of the delivery. */
  outcome: ConsumerOutcome | undefined;
  /** Acknowledged (false: nacked back to the queue). */
  acknowledged: boolean;
  /** The copies the consumer re-published: to `<queue>.retry`, or to `<queue>.dlq` with the reason. */
  republished: { queue: string; reason: unknown; detail: unknown }[];
}

/**
 * The broker side of a service's consumer, in memory: the service's own `start…Consumer` (the
 * kit's startConsumer with the service's validate and handler/effect) consumes from it, and
 * `deliver` hands it a Pact message as an AMQP delivery, with the properties and headers the
 * kit's outbox relay publishes (messageId = eventId, type = eventType). So the message takes the
 * path of a RabbitMQ delivery: JSON parse, validation (invalid → dead-letter queue), event-id
 * dedupe in processed_events and the effect, in the service's database, then the ack. Message
 * consumer tests and provider states use it; the contract stage runs without RabbitMQ.
 */
export interface InMemoryBroker {
  /** Given to the service's consumer in place of its RabbitMQ connection. */
  connection: BrokerConnection;
  /** Given to the service's consumer: the kit counts each delivery's outcome here. */
  metrics: KitMetrics;
  /** Delivers one message and resolves once the consumer has acknowledged (or nacked) it. */
  deliver(message: PactMessage): Promise<Delivered>;
}

type OnMessage = (message: unknown) => void;
interface DeliveredMessage {
  fields: { deliveryTag: number };
}

export function inMemoryBroker(): InMemoryBroker {
  const metrics = createMetrics('pact-consumer', { defaultMetrics: false });
  const settle = new Map<number, (acknowledged: boolean) => void>();
  const published: PublishRequest[] = [];
  let consuming: { queue: string; onMessage: OnMessage } | undefined;
  let lastTag = 0;

  const channel = {
    on: () => channel,
    prefetch: () => Promise.resolve(),
    consume(queue: string, onMessage: OnMessage) {
      consuming = { queue, onMessage };
      return Promise.resolve({ consumerTag: `pact-${queue}` });
    },
    ack: (message: DeliveredMessage) => settle.get(message.fields.deliveryTag)?.(true),
    nack: (message: DeliveredMessage) => settle.get(message.fields.deliveryTag)?.(false),
    cancel() {
      consuming = undefined;
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
  const amqpConnection = { createChannel: () => Promise.resolve(channel) } as unknown as Parameters<ConnectionSetup>[0];
  const connection = {
    isConnected: () => true,
    addSetup: (setup: ConnectionSetup) => setup(amqpConnection),
    removeSetup: () => undefined,
    publish(request: PublishRequest) {
      published.push(request);
      return Promise.resolve();
    },
  } as unknown as BrokerConnection;

  async function outcomeCounts(): Promise<Map<string, number>> {
    const { values } = await metrics.consumerMessages.get();
    return new Map(values.map((v) => [String(v.labels.outcome), v.value]));
  }

  return {
    connection,
    metrics,
    async deliver(message) {
      if (consuming === undefined) throw new Error('no consumer consumes from the in-memory broker');
      const raw = message.contents.content;
      const content = Buffer.isBuffer(raw) ? raw : Buffer.from(JSON.stringify(raw), 'utf8');
      const { headers, routingKey, contentType, exchange } = splitMessageMetadata(message.metadata);
      const before = await outcomeCounts();
      const publishedBefore = published.length;
      const deliveryTag = ++lastTag;
      const settled = new Promise<boolean>((resolve) => settle.set(deliveryTag, resolve));
      consuming.onMessage({
        content,
        fields: {
          deliveryTag,
          redelivered: false,
          exchange: typeof exchange === 'string' ? exchange : '',
          routingKey: typeof routingKey === 'string' ? routingKey : '',
          consumerTag: `pact-${consuming.queue}`,
        },
        properties: {
          messageId: headers['eventId'],
          type: headers['eventType'],
          contentType,
          headers,
        },
      });
      const acknowledged = await settled;
      settle.delete(deliveryTag);
      // The kit counts the outcome right after the ack (or the dead-letter publish): let it.
      await new Promise((resolve) => setImmediate(resolve));
      const after = await outcomeCounts();
      const outcome = [...after].find(([name, count]) => count > (before.get(name) ?? 0))?.[0] as
        ConsumerOutcome | undefined;
      return {
        outcome,
        acknowledged,
        republished: published.slice(publishedBefore).map((request) => ({
          queue: request.routingKey,
          reason: request.options?.headers?.['x-death-reason'],
          detail: request.options?.headers?.['x-death-detail'],
        })),
      };
    },
  };
}
