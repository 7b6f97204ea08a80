import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/pool.ts';
import { currentTraceparent } from '../observability/tracing.ts';

export interface OutboxEvent {
  /** Defaults to a new UUID; consumers deduplicate on it. */
  eventId?: string;
  exchange: string;
  routingKey: string;
  /** The message name (OrderConfirmed); sent as AMQP `type` and the `eventType` header. */
  messageType: string;
  payload: unknown;
  /** Extra AMQP headers (e.g. schemaVersion). */
  headers?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * Adds an event to the outbox inside the caller's transaction, so it is published if and only if
 * the transaction commits. Captures the active traceparent into the message headers. Returns
 * the event id.
 */
export async function enqueueOutbox(tx: Queryable, event: OutboxEvent): Promise<string> {
  const eventId = event.eventId ?? randomUUID();
  const traceparent = currentTraceparent();
  const headers = {
    ...event.headers,
    eventId,
    eventType: event.messageType,
    ...(traceparent === undefined ? {} : { traceparent }),
  };
  await tx.query(
    `INSERT INTO outbox (id, event_id, exchange, routing_key, message_type, payload, headers)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      randomUUID(),
      eventId,
      event.exchange,
      event.routingKey,
      event.messageType,
      JSON.stringify(event.payload),
      headers,
    ],
  );
  return eventId;
}
