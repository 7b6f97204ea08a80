import amqp from 'amqplib';
import { readKafkaTopic } from '@harness/runtime';
import { POISON_HEADER } from '../faults/messageFaults.ts';
import { result, type Invariant } from './Invariant.ts';

/** A message found in a dead-letter queue. */
interface DeadLetter {
  queue: string;
  messageId: string | undefined;
  tag: string | undefined;
  reason: string | undefined;
  routingKey: string | undefined;
}

/**
 * Reads every message of the queues without consuming them: gets them unacknowledged, then closes
 * the channel, which puts them all back.
 */
export async function browseQueues(amqpUrl: string, queues: readonly string[]): Promise<DeadLetter[]> {
  const connection = await amqp.connect(amqpUrl, { timeout: 5_000 });
  try {
    const found: DeadLetter[] = [];
    for (const queue of queues) {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      try {
        await channel.checkQueue(queue);
      } catch {
        continue; // not declared (yet): nothing was dead-lettered there
      }
      for (;;) {
        const message = await channel.get(queue, { noAck: false });
        if (message === false) break;
        const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
        found.push({
          queue,
          messageId: typeof message.properties.messageId === 'string' ? message.properties.messageId : undefined,
          tag: text(headers[POISON_HEADER]),
          reason: text(headers['x-death-reason']),
          routingKey: text(headers['x-original-routing-key']),
        });
      }
      await channel.close().catch(() => undefined);
    }
    return found;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/** The same on Kafka: the dead-letter topics (`<queue>.dlq`), read without committing anything. */
async function browseKafkaTopics(bootstrap: string, topics: readonly string[]): Promise<DeadLetter[]> {
  const found: DeadLetter[] = [];
  for (const topic of topics)
    for (const record of await readKafkaTopic(bootstrap, topic))
      found.push({
        queue: topic,
        messageId: record.headers.eventId,
        tag: record.headers[POISON_HEADER],
        reason: record.headers['x-death-reason'],
        routingKey: record.headers['x-routing-key'],
      });
  return found;
}

/**
 * Every dead letter is accounted for: each message in a DLQ is a poison message the run injected
 * on purpose and carries the consumer's reason, and each poison message of this scenario reached
 * a DLQ (it was neither processed nor lost). A real event in a DLQ is a lost business event.
 */
export const deadLettersAccounted: Invariant = {
  name: 'dead-letters-accounted',
  description: 'every dead letter is an injected poison message with a reason; every poison message is dead-lettered',
  settles: true,
  async check({ amqpUrl, kafkaBootstrap, deadLetterQueues, poisons, scenario }) {
    const letters =
      kafkaBootstrap !== undefined
        ? await browseKafkaTopics(kafkaBootstrap, deadLetterQueues)
        : await browseQueues(amqpUrl ?? '', deadLetterQueues);
    const injected = new Set(poisons.map((poison) => poison.tag));
    const violations: string[] = [];
    for (const letter of letters) {
      if (letter.tag === undefined || !injected.has(letter.tag)) {
        violations.push(
          `unaccounted dead letter in ${letter.queue}: message ${letter.messageId ?? '(no id)'} (${letter.routingKey ?? '?'}), reason ${letter.reason ?? 'none'}`,
        );
      } else if (letter.reason === undefined) {
        violations.push(`dead letter ${letter.tag} in ${letter.queue} carries no x-death-reason`);
      }
    }
    const lettered = new Set(letters.map((letter) => letter.tag));
    for (const poison of poisons.filter((candidate) => candidate.scenario === scenario)) {
      if (!lettered.has(poison.tag))
        violations.push(`poison message ${poison.name} (${poison.routingKey}) is in no dead-letter queue`);
    }
    return result(
      'dead-letters-accounted',
      `${letters.length} dead letters in ${deadLetterQueues.length} queues`,
      violations,
    );
  },
};

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return undefined;
}
