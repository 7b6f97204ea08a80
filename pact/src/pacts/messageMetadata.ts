/**
 * How a message pact describes the message: the message metadata holds the headers (`eventId`,
 * `eventType`, `schemaVersion`, `traceparent`, ...) plus these transport keys, which are properties
 * of the AMQP message (contentType, routingKey, exchange) or of the Kafka record (topic, key)
 * rather than headers. `kafka_topic` is the name Pact's own Kafka examples use for the topic.
 */
const TRANSPORT_KEYS = ['contentType', 'routingKey', 'exchange', 'topic', 'kafka_topic', 'key'] as const;

export interface SplitMetadata {
  headers: Record<string, unknown>;
  contentType: unknown;
  routingKey: unknown;
  exchange: unknown;
  /** The Kafka topic (`topic` or `kafka_topic`). */
  topic: unknown;
  /** The Kafka record key. */
  key: unknown;
}

export function splitMessageMetadata(metadata: Record<string, unknown> | undefined): SplitMetadata {
  const headers: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (!(TRANSPORT_KEYS as readonly string[]).includes(key)) headers[key] = value;
  }
  return {
    headers,
    contentType: metadata?.['contentType'],
    routingKey: metadata?.['routingKey'],
    exchange: metadata?.['exchange'],
    topic: metadata?.['topic'] ?? metadata?.['kafka_topic'],
    key: metadata?.['key'],
  };
}
