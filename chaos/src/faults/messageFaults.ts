import amqp from 'amqplib';
import { produceToKafka, type KafkaRecord } from '@harness/runtime';
import type { Queryable } from '../invariants/Queryable.ts';
import type { PoisonMessage } from '../scenario/Scenario.ts';

/** Header that marks a message the runner injected, so dead letters can be accounted for. */
export const POISON_HEADER = 'x-chaos-poison';

/** A poison message the run injected: where it went and how to recognise it in a DLQ. */
export interface InjectedPoison {
  scenario: string;
  name: string;
  /** Unique per injection: the value of the x-chaos-poison header. */
  tag: string;
  routingKey: string;
  messageId: string | undefined;
}

/** Publishes with publisher confirms on a connection of the runner's own (straight to the broker). */
async function withConfirmChannel<T>(amqpUrl: string, work: (channel: amqp.ConfirmChannel) => Promise<T>): Promise<T> {
  const connection = await amqp.connect(amqpUrl, { timeout: 5_000 });
  try {
    const channel = await connection.createConfirmChannel();
    const result = await work(channel);
    await channel.waitForConfirms();
    await channel.close();
    return result;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/**
 * Where message faults go: the run's RabbitMQ (an AMQP URL), or its Kafka (the harness's own
 * listener), where an exchange is a topic and the routing key travels in `x-routing-key`.
 */
export type MessageTarget = { amqpUrl: string } | { kafkaBootstrap: string };

/** The header the kit's Kafka messaging carries the AMQP routing key in. */
const ROUTING_KEY_HEADER = 'x-routing-key';

const headerText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** Publishes malformed messages to the system's events exchange, each tagged for the dead-letter accounting. */
export async function publishPoison(
  target: MessageTarget,
  exchange: string,
  scenario: string,
  messages: readonly PoisonMessage[],
  runTag: string,
): Promise<InjectedPoison[]> {
  if ('amqpUrl' in target) return publishPoisonAmqp(target.amqpUrl, exchange, scenario, messages, runTag);
  const injected: InjectedPoison[] = [];
  const records: KafkaRecord[] = [];
  for (const message of messages) {
    const tag = `${runTag}:${scenario}:${message.name}`;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = headerText(value);
    if (message.messageId !== undefined) headers.eventId ??= message.messageId;
    records.push({
      topic: exchange,
      value: message.body,
      headers: { ...headers, [ROUTING_KEY_HEADER]: message.routingKey, [POISON_HEADER]: tag },
    });
    injected.push({ scenario, name: message.name, tag, routingKey: message.routingKey, messageId: message.messageId });
  }
  await produceToKafka(target.kafkaBootstrap, records);
  return injected;
}

async function publishPoisonAmqp(
  amqpUrl: string,
  exchange: string,
  scenario: string,
  messages: readonly PoisonMessage[],
  runTag: string,
): Promise<InjectedPoison[]> {
  return withConfirmChannel(amqpUrl, async (channel) => {
    const injected: InjectedPoison[] = [];
    for (const message of messages) {
      const tag = `${runTag}:${scenario}:${message.name}`;
      channel.publish(exchange, message.routingKey, Buffer.from(message.body), {
        persistent: true,
        contentType: 'application/json',
        ...(message.messageId === undefined ? {} : { messageId: message.messageId }),
        headers: { ...message.headers, [POISON_HEADER]: tag },
      });
      injected.push({
        scenario,
        name: message.name,
        tag,
        routingKey: message.routingKey,
        messageId: message.messageId,
      });
    }
    return injected;
  });
}

interface OutboxRow {
  event_id: string;
  exchange: string;
  routing_key: string;
  message_type: string;
  payload: unknown;
  headers: Record<string, unknown>;
}

/**
 * Publishes again, as the outbox relay did (same message id, type and headers), `count` events
 * of `eventType` the relay already published since `sinceIso`: a duplicate delivery the consumers
 * must absorb. Resolves with the duplicated event ids.
 */
export async function publishDuplicates(
  target: MessageTarget,
  outboxDb: Queryable,
  eventType: string,
  count: number,
  sinceIso: string,
): Promise<string[]> {
  const { rows } = await outboxDb.query<OutboxRow>(
    `SELECT event_id::text, exchange, routing_key, message_type, payload, headers FROM outbox
      WHERE published_at IS NOT NULL AND message_type = $1 AND created_at >= $2
      ORDER BY created_at LIMIT $3`,
    [eventType, sinceIso, count],
  );
  if (rows.length === 0) return [];
  if ('kafkaBootstrap' in target) {
    // As the kit's Kafka publisher sends them: keyed by the order, the routing key in a header.
    await produceToKafka(
      target.kafkaBootstrap,
      rows.map((row) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(row.headers ?? {})) headers[name] = headerText(value);
        const orderId = (row.payload as { orderId?: unknown } | null)?.orderId;
        return {
          topic: row.exchange,
          ...(typeof orderId === 'string' ? { key: orderId } : {}),
          value: JSON.stringify(row.payload),
          headers: {
            ...headers,
            eventId: row.event_id,
            eventType: row.message_type,
            'content-type': 'application/json',
            [ROUTING_KEY_HEADER]: row.routing_key,
          },
        };
      }),
    );
    return rows.map((row) => row.event_id);
  }
  return withConfirmChannel(target.amqpUrl, async (channel) => {
    for (const row of rows) {
      channel.publish(row.exchange, row.routing_key, Buffer.from(JSON.stringify(row.payload)), {
        persistent: true,
        messageId: row.event_id,
        type: row.message_type,
        contentType: 'application/json',
        headers: { ...row.headers, eventId: row.event_id, eventType: row.message_type },
      });
    }
    return rows.map((row) => row.event_id);
  });
}
