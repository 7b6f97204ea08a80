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

/** The values of one outbox row, in the column order of `OUTBOX_COLUMNS`. */
export function outboxRowValues(event: OutboxEvent): { eventId: string; values: unknown[] } {
  const eventId = event.eventId ?? randomUUID();
  const traceparent = currentTraceparent();
  const headers = {
    ...event.headers,
    eventId,
    eventType: event.messageType,
    ...(traceparent === undefined ? {} : { traceparent }),
  };
  return {
    eventId,
    values: [
      randomUUID(),
      eventId,
      event.exchange,
      event.routingKey,
      event.messageType,
      JSON.stringify(event.payload),
      headers,
    ],
  };
}

export const OUTBOX_COLUMNS = 'id, event_id, exchange, routing_key, message_type, payload, headers';

/**
 * Adds an event to the outbox inside the caller's transaction, so it is published if and only if
 * the transaction commits. Captures the active traceparent into the message headers. Returns
 * the event id. To change a row and enqueue its event in one round trip, see `changeWithOutbox`.
 */
export async function enqueueOutbox(tx: Queryable, event: OutboxEvent): Promise<string> {
  const { eventId, values } = outboxRowValues(event);
  await tx.query(`INSERT INTO outbox (${OUTBOX_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`, values);
  return eventId;
}
