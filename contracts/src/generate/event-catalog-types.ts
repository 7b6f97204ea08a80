import type { JsonObject } from './bundle-spec.ts';

/** A message of an AsyncAPI document, with what code needs to publish and validate it. */
interface EventMessage {
  /** Message name (`name`, else its key), unique across all AsyncAPI files: `OrderConfirmed`. */
  name: string;
  /** Identifier-safe form of the name, used in generated export names. */
  id: string;
  channel: string;
  /** Exchange (AMQP channel binding) or channel address the message is sent to. */
  exchange: string | null;
  /** `x-routing-key`, else the `cc` of a send operation's AMQP binding, else the message name. */
  routingKey: string;
  contentType: string;
  /** Key of the payload schema in `$defs`. */
  payloadSchema: string;
  /** Key of the headers schema in `$defs`, when the message declares headers. */
  headersSchema: string | null;
  /**
   * `x-partition-key`: the payload member whose value is the message's Kafka key (one order's
   * events share a partition), when declared.
   */
  partitionKey: string | null;
}

/** A Kafka topic (the channel's Kafka binding): where the channel's messages go on Kafka. */
interface EventTopic {
  channel: string;
  name: string;
  partitions: number | null;
  replicas: number | null;
}

interface EventExchange {
  channel: string;
  name: string;
  type: string;
  durable: boolean;
  autoDelete: boolean;
  vhost: string;
}

/** A receive operation: the queue a service consumes. */
interface EventQueue {
  operation: string;
  /** `x-queue.name`, else the channel's AMQP queue binding name, else the operation id. */
  name: string;
  service: string | null;
  channel: string;
  exchange: string | null;
  durable: boolean;
  bindingKeys: string[];
  messages: string[];
  /** The Kafka consumer group (operation binding `groupId`), when declared: the queue's name. */
  groupId: string | null;
}

/** A send operation. */
interface EventPublisher {
  operation: string;
  service: string | null;
  channel: string;
  exchange: string | null;
  /** AMQP operation binding `deliveryMode` (2 = persistent), when declared. */
  deliveryMode: number | null;
  /** AMQP operation binding `mandatory` (unroutable messages are returned, not dropped). */
  mandatory: boolean;
  messages: string[];
}

export interface EventCatalog {
  /** Every schema, named, with local refs as `#/$defs/<name>`. */
  defs: Record<string, JsonObject>;
  messages: EventMessage[];
  exchanges: EventExchange[];
  topics: EventTopic[];
  queues: EventQueue[];
  publishers: EventPublisher[];
}
