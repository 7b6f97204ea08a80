import type { Logger } from '../observability/logger.ts';
import { BrokerConnection, type MessagePublisher } from './BrokerConnection.ts';
import { retryQueueOf, topologySetup, type MessagingTopology } from './declareTopology.ts';
import { rabbitMqBacklog } from './rabbitMqBacklog.ts';
import { startConsumer, type Consumer, type ConsumerOptions } from './startConsumer.ts';

/** What a consumer gives the bus: the consumer's options less the broker, plus where events come from. */
export type BusConsumerOptions<Payload> = Omit<ConsumerOptions<Payload>, 'broker'> & {
  /** The topology's exchange: on Kafka, the topic the queue's group reads. */
  exchange: string;
};

/**
 * The event bus a service runs on, RabbitMQ or Kafka, behind one shape: the outbox relay publishes
 * through it, consumers start on it, the readiness check asks it. A service picks one with
 * `rabbitMqBus` or `kafkaBus` and the rest of its code does not change.
 */
export interface MessageBus extends MessagePublisher {
  readonly kind: 'rabbitmq' | 'kafka';
  /** Declares the topology now if connected, and again whenever that is needed (reconnection). */
  declare(topology: MessagingTopology): Promise<void>;
  consume<Payload>(options: BusConsumerOptions<Payload>): Promise<Consumer>;
  /**
   * Events waiting for a consumer queue (its retry queue included): on RabbitMQ the messages in
   * both queues, on Kafka the consumer-group lag of both groups. A failure means: not known.
   */
  backlog(queue: string): Promise<number>;
  /** Connects in the background, retrying until it succeeds or `close()` is called. */
  start(): Promise<void>;
  isConnected(): boolean;
  close(): Promise<void>;
}

/** The bus on RabbitMQ: one BrokerConnection; the topology and consumers are redone on every reconnection. */
export function rabbitMqBus(options: { url: string; logger?: Logger }): MessageBus {
  return rabbitMqBusOn(new BrokerConnection(options));
}

/** The bus over a RabbitMQ connection made elsewhere (a test's, say); closing the bus closes it. */
export function rabbitMqBusOn(broker: BrokerConnection): MessageBus {
  const backlogs = new Map<string, () => Promise<number>>();
  return {
    kind: 'rabbitmq',
    publish: (request) => broker.publish(request),
    declare: (topology) => broker.addSetup(topologySetup(topology)),
    consume: <Payload>({ exchange: _exchange, ...consumer }: BusConsumerOptions<Payload>) =>
      startConsumer<Payload>({ ...consumer, broker }),
    backlog(queue) {
      let probe = backlogs.get(queue);
      if (!probe) backlogs.set(queue, (probe = rabbitMqBacklog(broker, [queue, retryQueueOf(queue)])));
      return probe();
    },
    start: () => broker.start(),
    isConnected: () => broker.isConnected(),
    close: () => broker.close(),
  };
}

/**
 * A bus as it is, or a RabbitMQ connection as a bus: for code that was handed either. Told apart
 * by shape, not class, so a stand-in for the connection (Pact's in-memory broker) works too.
 */
export function asMessageBus(broker: MessageBus | BrokerConnection): MessageBus {
  return isMessageBus(broker) ? broker : rabbitMqBusOn(broker);
}

const isMessageBus = (broker: MessageBus | BrokerConnection): broker is MessageBus =>
  'kind' in broker && typeof (broker as Partial<MessageBus>).consume === 'function';
