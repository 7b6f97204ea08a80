import type { PublishRequest } from '../BrokerConnection.ts';

/** The header carrying the AMQP routing key (the event kind) on Kafka, where there is none. */
export const ROUTING_KEY_HEADER = 'x-routing-key';

/**
 * The Kafka headers of a message published as an AMQP-shaped request: its AMQP headers (event id,
 * type, traceparent, schema version…), the routing key, and the AMQP properties that have no
 * Kafka counterpart (messageId, type, content type) as headers when not already there.
 */
export function kafkaHeadersOf(request: PublishRequest): Record<string, string> {
  const { options = {} } = request;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === undefined || value === null) continue;
    headers[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  headers[ROUTING_KEY_HEADER] = request.routingKey;
  if (options.messageId !== undefined) headers.eventId ??= options.messageId;
  if (options.type !== undefined) headers.eventType ??= options.type;
  if (options.contentType !== undefined) headers['content-type'] ??= options.contentType;
  return headers;
}

const scalar = /^(?:-?\d+(?:\.\d+)?|true|false)$/;

/**
 * Headers as a consumer's validator sees them. Kafka header values are bytes, so a number or a
 * boolean sent as a header (schemaVersion: 1) comes back as text; such values are read back as
 * JSON, everything else stays a string (event ids and traceparents never look like numbers).
 */
export function headersFromKafka(entries: Iterable<[string, string]>): Record<string, unknown> {
  const headers: Record<string, unknown> = {};
  for (const [name, value] of entries) headers[name] = scalar.test(value) ? JSON.parse(value) : value;
  return headers;
}
