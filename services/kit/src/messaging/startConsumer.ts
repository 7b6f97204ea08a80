import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { Pool, Transaction } from '../db/pool.ts';
import type { Logger } from '../observability/logger.ts';
import type { KitMetrics } from '../observability/metrics.ts';
import { extractTraceContext, inSpan, SpanKind } from '../observability/tracing.ts';
import type { BrokerConnection } from './BrokerConnection.ts';
import type { ConsumedMessage } from './consumedMessage.ts';
import { deadLetterQueueOf, retryQueueOf, type QueueTopology } from './declareTopology.ts';
import { recordThenHandle, recordWithEffect, type EffectStatement } from './recordProcessedEvent.ts';

export type { ConsumedMessage, EffectStatement };

export type MessageValidation = { ok: true } | { ok: false; errors: readonly string[] };

export interface ConsumerOptions<Payload> {
  pool: Pool;
  broker: BrokerConnection;
  /** The queue as declared in the topology (its retry delay and max attempts apply). */
  queue: QueueTopology;
  /** Key of this consumer in processed_events. Default: the queue name. */
  consumerName?: string;
  /** Checks payload and headers (e.g. with validators generated from AsyncAPI). */
  validate: (payload: unknown, headers: Readonly<Record<string, unknown>>) => MessageValidation;
  /** The side effect, run in the transaction that records the event id. Give this or `effect`. */
  handle?: (tx: Transaction, message: ConsumedMessage<Payload>) => Promise<void>;
  /**
   * The side effect as one data-modifying SQL statement, run in the same SQL statement that
   * records the event id: one round trip instead of BEGIN / record / handle / COMMIT. The
   * statement reads the CTE `recorded` (one row when the event is new, none for a duplicate), so
   * that it does nothing for a duplicate: `INSERT INTO t (a, b) SELECT $1, $2 FROM recorded`.
   * A failure of the statement counts as a handler failure, unless the database is unreachable.
   */
  effect?: (message: ConsumedMessage<Payload>) => EffectStatement;
  /** Unacknowledged messages in flight. Default 10. */
  prefetch?: number;
  logger?: Logger;
  metrics?: KitMetrics;
}

export interface Consumer {
  /** Stops consuming and waits for the messages in flight. */
  stop(): Promise<void>;
}

type DeadLetterReason = 'invalid_json' | 'missing_event_id' | 'validation_failed' | 'max_attempts_exceeded';

/** Headers the broker sets when dead-lettering; never copied onto messages we publish. */
const brokerDeathHeader = /^x-death$|^x-(first|last)-death-/;

/**
 * An idempotent consumer. Each message is parsed (not JSON → DLQ) and validated (invalid →
 * DLQ at once, never retried); then, in one transaction, its event id is recorded in
 * processed_events and the handler runs. An id already recorded is acknowledged without running
 * the handler. A failing handler rolls back and the message goes to `<q>.retry` with `x-attempt`
 * incremented, or to `<q>.dlq` with `x-death-reason` after `maxAttempts` runs. A message is
 * acknowledged only after its transaction committed (or it was re-published). Consumption is
 * re-established after every reconnection of the broker.
 */
export async function startConsumer<Payload>(options: ConsumerOptions<Payload>): Promise<Consumer> {
  const { pool, broker, queue, logger, metrics } = options;
  if ((options.handle === undefined) === (options.effect === undefined)) {
    throw new Error('startConsumer: give either handle or effect');
  }
  const consumerName = options.consumerName ?? queue.name;
  const inFlight = new Set<Promise<void>>();
  let current: { channel: Channel; consumerTag: string } | undefined;
  let stopped = false;

  const count = (outcome: string) => metrics?.consumerMessages.inc({ queue: queue.name, outcome });
  const acknowledge = (channel: Channel, message: ConsumeMessage) => {
    try {
      channel.ack(message);
    } catch (error) {
      logger?.warn({ err: error }, 'ack failed; the message will be redelivered');
    }
  };

  async function republish(
    channel: Channel,
    message: ConsumeMessage,
    routingKey: string,
    headers: Record<string, unknown>,
  ): Promise<boolean> {
    const kept = Object.fromEntries(
      Object.entries(message.properties.headers ?? {}).filter(([name]) => !brokerDeathHeader.test(name)),
    );
    try {
      await broker.publish({
        exchange: '',
        routingKey,
        content: message.content,
        options: {
          ...carriedProperties(message),
          persistent: true,
          headers: { ...kept, ...headers, 'x-original-routing-key': message.fields.routingKey },
        },
      });
      acknowledge(channel, message);
      return true;
    } catch (error) {
      logger?.warn({ err: error, queue: routingKey }, 're-publish failed; requeueing the message');
      try {
        channel.nack(message, false, true);
      } catch {
        // The channel is gone: the broker redelivers the message on the next connection.
      }
      count('requeued');
      return false;
    }
  }

  async function deadLetter(channel: Channel, message: ConsumeMessage, reason: DeadLetterReason, detail: string) {
    logger?.warn(
      { queue: queue.name, reason, detail, messageId: message.properties.messageId },
      'message dead-lettered',
    );
    const sent = await republish(channel, message, deadLetterQueueOf(queue.name), {
      'x-death-reason': reason,
      'x-death-detail': detail.slice(0, 500),
      'x-original-queue': queue.name,
    });
    if (!sent) return;
    metrics?.consumerDeadLetters.inc({ queue: queue.name, reason });
    count('dead_lettered');
  }

  async function process(channel: Channel, message: ConsumeMessage): Promise<void> {
    const headers: Record<string, unknown> = { ...message.properties.headers };
    const attempt = Number(headers['x-attempt'] ?? 0) || 0;
    let payload: unknown;
    try {
      payload = JSON.parse(message.content.toString('utf8'));
    } catch {
      return deadLetter(channel, message, 'invalid_json', 'the body is not JSON');
    }
    const eventId = eventIdOf(message, headers, payload);
    if (eventId === undefined) return deadLetter(channel, message, 'missing_event_id', 'no messageId or eventId');
    const validation = options.validate(payload, headers);
    if (!validation.ok) return deadLetter(channel, message, 'validation_failed', validation.errors.join('; '));

    const consumed: ConsumedMessage<Payload> = {
      eventId,
      eventType:
        typeof headers.eventType === 'string' ? headers.eventType : (message.properties.type as string | undefined),
      routingKey: message.fields.routingKey,
      payload: payload as Payload,
      headers,
      attempt,
    };
    // Set once the handler (or effect) ran: its failure then uses up an attempt.
    const progress = { handlerRan: false };
    const record = () =>
      options.effect === undefined
        ? recordThenHandle(pool, consumerName, consumed, options.handle!, progress)
        : recordWithEffect(pool, consumerName, consumed, options.effect, progress);
    try {
      const outcome = await inSpan(
        `consume ${queue.name}`,
        {
          kind: SpanKind.CONSUMER,
          parent: extractTraceContext(headers),
          attributes: {
            'messaging.system': 'rabbitmq',
            'messaging.operation.type': 'process',
            'messaging.destination.name': queue.name,
            'messaging.message.id': eventId,
          },
        },
        record,
      );
      acknowledge(channel, message);
      count(outcome);
      if (outcome === 'duplicate') {
        metrics?.consumerRedeliveries.inc({ queue: queue.name });
        logger?.info({ eventId, queue: queue.name }, 'duplicate event acknowledged without handling');
      }
    } catch (error) {
      if (!progress.handlerRan) {
        // The database failed before the handler ran: retry later without using up an attempt.
        logger?.warn({ err: error, eventId }, 'could not record the event; retrying later');
        if (await republish(channel, message, retryQueueOf(queue.name), { 'x-attempt': attempt })) count('retried');
        return;
      }
      const failures = attempt + 1;
      if (failures >= queue.maxAttempts) {
        return deadLetter(channel, message, 'max_attempts_exceeded', `${failures} attempts, last: ${String(error)}`);
      }
      logger?.warn({ err: error, eventId, attempt: failures }, 'handler failed; message sent to the retry queue');
      if (
        await republish(channel, message, retryQueueOf(queue.name), {
          'x-attempt': failures,
          'x-last-error': String(error).slice(0, 500),
        })
      ) {
        metrics?.consumerRetries.inc({ queue: queue.name });
        count('retried');
      }
    }
  }

  const setup = async (connection: ChannelModel): Promise<void> => {
    if (stopped) return;
    const channel = await connection.createChannel();
    channel.on('error', (error: Error) => logger?.warn({ err: error, queue: queue.name }, 'consumer channel error'));
    channel.on('close', () => {
      if (current?.channel !== channel) return;
      current = undefined;
      // The channel closed on its own while the connection lives on: open a new one.
      if (!stopped && broker.isConnected()) {
        setTimeout(
          () =>
            void broker
              .addSetup(setup)
              .catch((error: unknown) => logger?.warn({ err: error }, 'consumer reopen failed')),
          200,
        );
      }
    });
    await channel.prefetch(options.prefetch ?? 10);
    const { consumerTag } = await channel.consume(queue.name, (message) => {
      if (!message) return;
      const work = process(channel, message).catch((error: unknown) =>
        logger?.error({ err: error }, 'message processing failed'),
      );
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
    });
    current = { channel, consumerTag };
  };

  await broker.addSetup(setup);
  return {
    async stop() {
      stopped = true;
      broker.removeSetup(setup);
      const active = current;
      current = undefined;
      await active?.channel.cancel(active.consumerTag).catch(() => undefined);
      await Promise.allSettled([...inFlight]);
      await active?.channel.close().catch(() => undefined);
    },
  };
}

function eventIdOf(message: ConsumeMessage, headers: Record<string, unknown>, payload: unknown): string | undefined {
  const candidates = [
    message.properties.messageId,
    headers.eventId,
    (payload as { eventId?: unknown } | null)?.eventId,
  ];
  return candidates.find((candidate): candidate is string => typeof candidate === 'string' && candidate.length > 0);
}

/** The message's own id, type and content type, for a copy re-published to a retry or dead-letter queue. */
function carriedProperties(message: ConsumeMessage): { messageId?: string; type?: string; contentType?: string } {
  const carried: { messageId?: string; type?: string; contentType?: string } = {};
  const { messageId, type, contentType } = message.properties as {
    messageId?: unknown;
    type?: unknown;
    contentType?: unknown;
  };
  if (typeof messageId === 'string') carried.messageId = messageId;
  if (typeof type === 'string') carried.type = type;
  if (typeof contentType === 'string') carried.contentType = contentType;
  return carried;
}
