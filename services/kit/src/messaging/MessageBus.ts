import type { Logger } from '../observability/logger.ts';
import { BrokerConnection, type MessagePublisher } from './BrokerConnection.ts';
import { topologySetup, type MessagingTopology } from './declareTopology.ts';
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
  /** Connects in the background, retrying until it succeeds or `close()` is called. */
  start(): Promise<void>;
  isConnected(): boolean;
  close(): Promise<void>;
}

/** The bus on RabbitMQ: one BrokerConnection; the topology and consumers are redone on every reconnection. */
export function rabbitMqBus(options: { url: string; logger?: Logger }): MessageBus {
  const broker = new BrokerConnection(options);
  return {
    kind: 'rabbitmq',
    publish: (request) => broker.publish(request),
    declare: (topology) => broker.addSetup(topologySetup(topology)),
    consume: <Payload>({ exchange: _exchange, ...consumer }: BusConsumerOptions<Payload>) =>
      startConsumer<Payload>({ ...consumer, broker }),
    start: () => broker.start(),
    isConnected: () => broker.isConnected(),
    close: () => broker.close(),
  };
}
