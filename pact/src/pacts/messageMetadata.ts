/**
 * How a message pact describes the AMQP message: the message metadata holds the AMQP headers
 * (`eventId`, `eventType`, `schemaVersion`, `traceparent`, ...) plus these transport keys, which
 * are properties of the AMQP message rather than headers.
 */
const TRANSPORT_KEYS = ['contentType', 'routingKey', 'exchange'] as const;

export interface SplitMetadata {
  headers: Record<string, unknown>;
  contentType: unknown;
  routingKey: unknown;
  exchange: unknown;
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
  };
}
