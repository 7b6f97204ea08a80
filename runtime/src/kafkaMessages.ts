import { randomUUID } from 'node:crypto';

/** Kafka's client, loaded at the first call: every harness command imports the runtime, few run Kafka. */
const kafkaClient = () => import('@platformatic/kafka');

/** A record as the harness writes or reads it on Kafka: text key, value and headers. */
export interface KafkaRecord {
  topic: string;
  key?: string;
  value: string;
  headers: Record<string, string>;
}

/** Writes records straight to the broker (the harness's own listener, no proxy), acknowledged by it. */
export async function produceToKafka(bootstrap: string, records: readonly KafkaRecord[]): Promise<void> {
  const { ProduceAcks, Producer, stringSerializers } = await kafkaClient();
  const producer = new Producer({
    clientId: 'harness-chaos',
    bootstrapBrokers: [bootstrap],
    serializers: stringSerializers,
    acks: ProduceAcks.ALL,
    autocreateTopics: false,
  });
  try {
    await producer.send({
      messages: records.map((record) => ({
        topic: record.topic,
        ...(record.key === undefined ? {} : { key: record.key }),
        value: record.value,
        headers: record.headers,
      })),
    });
  } finally {
    await producer.close(true);
  }
}

/**
 * Every record of a topic, from the first kept to the end it has now, read by a consumer group of
 * its own that commits nothing (so it reads without taking anything away). A topic that does not
 * exist has none.
 */
export async function readKafkaTopic(bootstrap: string, topic: string, timeoutMs = 10_000): Promise<KafkaRecord[]> {
  const { Admin, Consumer, ListOffsetTimestamps, stringDeserializers } = await kafkaClient();
  const admin = new Admin({ clientId: 'harness-chaos', bootstrapBrokers: [bootstrap] });
  let wanted = 0n;
  try {
    if (!(await admin.listTopics()).includes(topic)) return [];
    const metadata = await admin.metadata({ topics: [topic] });
    const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
    const listAt = async (timestamp: bigint) => {
      const partitions = Array.from({ length: count }, (_, partitionIndex) => ({ partitionIndex, timestamp }));
      const [listed] = await admin.listOffsets({ topics: [{ name: topic, partitions }] });
      return listed?.partitions ?? [];
    };
    const [starts, ends] = [await listAt(ListOffsetTimestamps.EARLIEST), await listAt(ListOffsetTimestamps.LATEST)];
    for (const end of ends)
      wanted += end.offset - (starts.find((start) => start.partitionIndex === end.partitionIndex)?.offset ?? 0n);
  } finally {
    await admin.close();
  }
  if (wanted === 0n) return [];
  const consumer = new Consumer({
    clientId: 'harness-chaos',
    groupId: `harness-browse-${randomUUID()}`,
    bootstrapBrokers: [bootstrap],
    deserializers: stringDeserializers,
  });
  const found: KafkaRecord[] = [];
  try {
    const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false, maxWaitTime: 200 });
    const timer = setTimeout(() => void stream.close(), timeoutMs);
    try {
      for await (const message of stream) {
        found.push({
          topic,
          ...(message.key ? { key: message.key } : {}),
          value: message.value ?? '',
          headers: Object.fromEntries(message.headerEntries),
        });
        if (BigInt(found.length) >= wanted) break;
      }
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await consumer.close(true);
  }
  return found;
}
