import { Admin } from '@platformatic/kafka';
import { deadLetterQueueOf, retryQueueOf, type MessagingTopology } from '../declareTopology.ts';

export interface KafkaTopologyOptions {
  bootstrap: readonly string[];
  /** Partitions of the event topic (one order's events share one, by key). Default 3. */
  partitions?: number;
  clientId?: string;
}

/**
 * The messaging topology on Kafka, from the same description as on RabbitMQ: the exchange becomes
 * one topic (every event kind, keyed by order, so one order's events stay in order), each queue
 * becomes a consumer group of that name with its own `<q>.retry` and `<q>.dlq` topics. Creates
 * the topics that are missing; existing ones are left as they are.
 */
export async function declareKafkaTopology(topology: MessagingTopology, options: KafkaTopologyOptions): Promise<void> {
  const partitions = options.partitions ?? 3;
  const wanted = new Map<string, number>([[topology.exchange, partitions]]);
  for (const queue of topology.queues) {
    wanted.set(retryQueueOf(queue.name), partitions);
    // Dead letters wait for a person: one partition keeps them in the order they failed.
    wanted.set(deadLetterQueueOf(queue.name), 1);
  }
  const admin = new Admin({
    clientId: options.clientId ?? 'harness-topology',
    bootstrapBrokers: [...options.bootstrap],
  });
  try {
    const existing = new Set(await admin.listTopics());
    for (const [topic, count] of wanted) {
      if (existing.has(topic)) continue;
      await admin.createTopics({ topics: [topic], partitions: count, replicas: 1 });
    }
  } finally {
    await admin.close();
  }
}

/** True when an AMQP topic-exchange binding (`*` one word, `#` zero or more) matches the routing key. */
export function bindingMatches(binding: string, routingKey: string): boolean {
  const match = (pattern: readonly string[], words: readonly string[]): boolean => {
    if (pattern.length === 0) return words.length === 0;
    const [head, ...rest] = pattern;
    if (head === '#') return match(rest, words) || (words.length > 0 && match(pattern, words.slice(1)));
    return words.length > 0 && (head === '*' || head === words[0]) && match(rest, words.slice(1));
  };
  return match(binding.split('.'), routingKey.split('.'));
}
