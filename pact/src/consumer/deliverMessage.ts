import {
  withTransaction,
  type ConsumedMessage,
  type MessageValidation,
  type Pool,
  type Transaction,
} from '@harness/kit';
import { splitMessageMetadata } from '../pacts/messageMetadata.ts';

/** The two functions a service passes to the kit's startConsumer. */
export interface ConsumerHandlers<Payload> {
  validate: (payload: unknown, headers: Readonly<Record<string, unknown>>) => MessageValidation;
  handle: (tx: Transaction, message: ConsumedMessage<Payload>) => Promise<void>;
}

/** A message as a Pact message interaction describes it (content + metadata). */
export interface PactMessage {
  contents: { content: unknown };
  metadata: Record<string, unknown>;
}

export type Delivery = { outcome: 'handled' } | { outcome: 'rejected'; errors: readonly string[] };

/**
 * Feeds a Pact message to a consumer the way the kit's startConsumer does with a delivery: the
 * body goes through JSON, the AMQP headers (metadata minus transport keys) and payload through
 * `validate`, then `handle` runs in one transaction of the consumer's database.
 */
export async function deliverMessage<Payload>(
  pool: Pool,
  handlers: ConsumerHandlers<Payload>,
  message: PactMessage,
): Promise<Delivery> {
  const raw = message.contents.content;
  const body = Buffer.isBuffer(raw) ? raw.toString('utf8') : JSON.stringify(raw);
  const payload: unknown = JSON.parse(body);
  const { headers, routingKey } = splitMessageMetadata(message.metadata);
  const validation = handlers.validate(payload, headers);
  if (!validation.ok) return { outcome: 'rejected', errors: validation.errors };
  const eventId =
    typeof headers['eventId'] === 'string' ? headers['eventId'] : String((payload as { eventId?: unknown }).eventId);
  await withTransaction(pool, (tx) =>
    handlers.handle(tx, {
      eventId,
      eventType: typeof headers['eventType'] === 'string' ? headers['eventType'] : undefined,
      routingKey: typeof routingKey === 'string' ? routingKey : '',
      payload: payload as Payload,
      headers,
      attempt: 0,
    }),
  );
  return { outcome: 'handled' };
}
