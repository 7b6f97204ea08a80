import { Consumer as KafkaClient, stringDeserializers, type Message } from '@platformatic/kafka';
import { extractTraceContext, inSpan, SpanKind } from '../../observability/tracing.ts';
import type { ConsumedMessage } from '../consumedMessage.ts';
import { deadLetterQueueOf, retryQueueOf } from '../declareTopology.ts';
import { recordThenHandle, recordWithEffect } from '../recordProcessedEvent.ts';
import type { Consumer, ConsumerOptions } from '../startConsumer.ts';
import { bindingMatches } from './declareKafkaTopology.ts';
import { headersFromKafka, ROUTING_KEY_HEADER } from './kafkaHeaders.ts';
import { KafkaPublisher } from './KafkaPublisher.ts';

export interface KafkaConsumerOptions<Payload> extends Omit<ConsumerOptions<Payload>, 'broker' | 'prefetch'> {
  bootstrap: readonly string[];
  /** The event topic: the topology's exchange. The queue's bindings filter it by routing key. */
  topic: string;
  /** Publishes to the retry and dead-letter topics. Default: a publisher of its own. */
  publisher?: KafkaPublisher;
  /** How long a consumer that died keeps its partitions before the group moves them. Default 10 s. */
  sessionTimeoutMs?: number;
  /** How long `stop()` waits for the message in hand. Default 5 s. */
  stopGraceMs?: number;
}

type DeadLetterReason = 'invalid_json' | 'missing_event_id' | 'validation_failed' | 'max_attempts_exceeded';

/** When a message in the retry topic is due (epoch ms); the retry stream waits until then. */
const RETRY_AT_HEADER = 'x-retry-at';

/**
 * The idempotent consumer on Kafka, with the same outcomes as on RabbitMQ (startConsumer): not
 * JSON, no event id or not valid → dead-letter topic at once, with the reason in `x-death-reason`
 * and the validation errors in `x-death-detail`; a known event id → committed without handling;
 * a failing handler → `<q>.retry` with `x-attempt` + 1 and a due time, then `<q>.dlq` after
 * `maxAttempts`. Two consumer groups: `<q>` reads the event topic, `<q>.retry` reads the retry
 * topic and waits for each message's due time, so a failing message never holds up the event
 * topic's partition. Offsets are committed one message at a time and only after the transaction
 * that records the event (or the copy to the retry or dead-letter topic) is done: a consumer that
 * dies before that gets the message again, and the recorded event id makes it a duplicate.
 */
export async function startKafkaConsumer<Payload>(options: KafkaConsumerOptions<Payload>): Promise<Consumer> {
  const { pool, queue, logger, metrics } = options;
  if ((options.handle === undefined) === (options.effect === undefined)) {
    throw new Error('startKafkaConsumer: give either handle or effect');
  }
  const consumerName = options.consumerName ?? queue.name;
  const ownPublisher = options.publisher === undefined;
  const publisher = options.publisher ?? new KafkaPublisher({ bootstrap: options.bootstrap, clientId: queue.name });
  let stopped = false;
  const wakeUps = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        wakeUps.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      wakeUps.add(wake);
    });
  const count = (outcome: string) => metrics?.consumerMessages.inc({ queue: queue.name, outcome });

  /** Copies the message to `topic`, retrying while the broker is away; false when stopped first. */
  async function copyTo(
    topic: string,
    message: Message<string, string, string, string>,
    extra: Record<string, string>,
  ) {
    const headers = Object.fromEntries(
      message.headerEntries.filter(([name]) => !/^x-death-|^x-last-error$/.test(name)),
    );
    for (let attempt = 0; !stopped; attempt++) {
      try {
        await publisher.publish({
          exchange: topic,
          routingKey: String(headers[ROUTING_KEY_HEADER] ?? ''),
          content: Buffer.from(message.value ?? '', 'utf8'),
          ...(message.key ? { key: message.key } : {}),
          options: { headers: { ...headers, ...extra, 'x-original-topic': message.topic } },
        });
        return true;
      } catch (error) {
        logger?.warn({ err: error, topic }, 'copy to the retry or dead-letter topic failed; retrying');
        await sleep(Math.min(5_000, 200 * 2 ** attempt));
      }
    }
    return false;
  }

  async function deadLetter(
    message: Message<string, string, string, string>,
    reason: DeadLetterReason,
    detail: string,
  ) {
    logger?.warn({ queue: queue.name, reason, detail, offset: String(message.offset) }, 'message dead-lettered');
    const sent = await copyTo(deadLetterQueueOf(queue.name), message, {
      'x-death-reason': reason,
      'x-death-detail': detail.slice(0, 500),
      'x-original-queue': queue.name,
    });
    if (sent) {
      metrics?.consumerDeadLetters.inc({ queue: queue.name, reason });
      count('dead_lettered');
    }
    return sent;
  }

  async function retryLater(message: Message<string, string, string, string>, attempt: number, lastError?: string) {
    return copyTo(retryQueueOf(queue.name), message, {
      'x-attempt': String(attempt),
      [RETRY_AT_HEADER]: String(Date.now() + queue.retryDelayMs),
      ...(lastError === undefined ? {} : { 'x-last-error': lastError.slice(0, 500) }),
    });
  }

  /** Handles one message; true when its offset may be committed. */
  async function process(message: Message<string, string, string, string>, fromRetry: boolean): Promise<boolean> {
    const headers = headersFromKafka(message.headerEntries);
    const routingKey = typeof headers[ROUTING_KEY_HEADER] === 'string' ? headers[ROUTING_KEY_HEADER] : '';
    if (!fromRetry && !queue.bindings.some((binding) => bindingMatches(binding, routingKey))) {
      count('not_bound');
      return true;
    }
    if (fromRetry) {
      const dueIn = Number(headers[RETRY_AT_HEADER] ?? 0) - Date.now();
      if (dueIn > 0) await sleep(dueIn);
      if (stopped) return false;
    }
    const attempt = Number(headers['x-attempt'] ?? 0) || 0;
    let payload: unknown;
    try {
      payload = JSON.parse(message.value ?? '');
    } catch {
      return deadLetter(message, 'invalid_json', 'the body is not JSON');
    }
    const eventId = [headers.eventId, (payload as { eventId?: unknown } | null)?.eventId].find(
      (candidate): candidate is string => typeof candidate === 'string' && candidate.length > 0,
    );
    if (eventId === undefined) return deadLetter(message, 'missing_event_id', 'no eventId header or member');
    const validation = options.validate(payload, headers);
    if (!validation.ok) return deadLetter(message, 'validation_failed', validation.errors.join('; '));

    const consumed: ConsumedMessage<Payload> = {
      eventId,
      eventType: typeof headers.eventType === 'string' ? headers.eventType : undefined,
      routingKey,
      payload: payload as Payload,
      headers,
      attempt,
    };
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
          attributes: { 'messaging.message.id': eventId, 'messaging.kafka.offset': String(message.offset) },
        },
        record,
      );
      count(outcome);
      if (outcome === 'duplicate') {
        metrics?.consumerRedeliveries.inc({ queue: queue.name });
        logger?.info({ eventId, queue: queue.name }, 'duplicate event committed without handling');
      }
      return true;
    } catch (error) {
      if (!progress.handlerRan) {
        // The database failed before the handler ran: retry later without using up an attempt.
        logger?.warn({ err: error, eventId }, 'could not record the event; retrying later');
        const sent = await retryLater(message, attempt);
        if (sent) count('retried');
        return sent;
      }
      const failures = attempt + 1;
      if (failures >= queue.maxAttempts) {
        return deadLetter(message, 'max_attempts_exceeded', `${failures} attempts, last: ${String(error)}`);
      }
      logger?.warn({ err: error, eventId, attempt: failures }, 'handler failed; message sent to the retry topic');
      const sent = await retryLater(message, failures, String(error));
      if (sent) {
        metrics?.consumerRetries.inc({ queue: queue.name });
        count('retried');
      }
      return sent;
    }
  }

  async function startStream(groupId: string, topic: string, fromRetry: boolean) {
    const sessionTimeout = options.sessionTimeoutMs ?? 10_000;
    const client = new KafkaClient({
      clientId: groupId,
      groupId,
      bootstrapBrokers: [...options.bootstrap],
      deserializers: stringDeserializers,
      sessionTimeout,
      heartbeatInterval: Math.min(1_000, sessionTimeout / 3),
      rebalanceTimeout: sessionTimeout * 2,
    });
    const stream = await client.consume({
      topics: [topic],
      mode: 'committed',
      // A new group reads from the start: events published before its first run are not lost.
      fallbackMode: 'earliest',
      autocommit: false,
      maxWaitTime: 500,
    });
    stream.on('error', (error: Error) => logger?.warn({ err: error, groupId }, 'kafka consumer error'));
    // Resolves true when the stream failed (the client gave up on the broker) while not stopped.
    const loop = (async () => {
      for await (const message of stream) {
        if (stopped) break;
        if (!(await process(message, fromRetry))) break;
        await message.commit();
      }
      return false;
    })().catch((error: unknown) => {
      if (stopped) return false;
      logger?.error({ err: error, groupId }, 'kafka consumer loop failed; starting it again');
      return true;
    });
    return { client, stream, loop };
  }

  type Stream = Awaited<ReturnType<typeof startStream>>;

  /**
   * Keeps a stream running: a stream whose client gave up (the broker away longer than its
   * retries) is closed and started again, with a growing pause while the broker cannot be
   * reached, until the consumer is stopped. Offsets are committed only after handling, so the new
   * stream resumes at the first message not done.
   */
  function supervise(first: Stream, groupId: string, topic: string, fromRetry: boolean) {
    const holder = { current: first as Stream | undefined };
    const done = (async () => {
      let stream = first;
      while (!stopped && (await stream.loop)) {
        holder.current = undefined;
        await closeClient(stream.client);
        for (let attempt = 0; !stopped; attempt++) {
          await sleep(Math.min(5_000, 500 * 2 ** attempt));
          if (stopped) return;
          try {
            stream = await startStream(groupId, topic, fromRetry);
            if (stopped) {
              await closeClient(stream.client);
              return;
            }
            holder.current = stream;
            break;
          } catch (error) {
            logger?.warn({ err: error, groupId, attempt }, 'kafka consumer could not start again; retrying');
          }
        }
      }
    })();
    return { holder, done };
  }

  /**
   * The client stays open when it cannot reach the broker to leave its group (its close fails),
   * and would rejoin once the broker is back: try again in the background until it is closed.
   */
  async function closeClient(client: KafkaClient<string, string, string, string>): Promise<void> {
    try {
      await client.close(true);
    } catch (error) {
      logger?.warn({ err: error }, 'kafka consumer did not close; trying again in the background');
      const retry = (attempt: number) =>
        setTimeout(() => {
          client.close(true).catch(() => attempt < 60 && retry(attempt + 1));
        }, 1_000).unref();
      retry(1);
    }
  }

  const main = await startStream(queue.name, options.topic, false);
  let retry: Stream;
  try {
    retry = await startStream(`${queue.name}.retry`, retryQueueOf(queue.name), true);
  } catch (error) {
    // Not half started: the caller may try again.
    stopped = true;
    await closeClient(main.client);
    if (ownPublisher) await publisher.close();
    throw error;
  }
  const supervised = [
    supervise(main, queue.name, options.topic, false),
    supervise(retry, `${queue.name}.retry`, retryQueueOf(queue.name), true),
  ];
  return {
    async stop() {
      stopped = true;
      for (const wake of wakeUps) wake();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise((resolve) => {
        timer = setTimeout(resolve, options.stopGraceMs ?? 5_000);
      });
      await Promise.race([Promise.allSettled(supervised.map((s) => s.done)), grace]);
      clearTimeout(timer);
      const running = supervised.flatMap((s) => (s.holder.current ? [s.holder.current] : []));
      await Promise.all(running.map((s) => closeClient(s.client)));
      if (ownPublisher) await publisher.close();
    },
  };
}
