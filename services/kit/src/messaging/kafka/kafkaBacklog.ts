import { Admin, ListOffsetTimestamps } from '@platformatic/kafka';

/** A consumer group and the topic it reads. */
export interface GroupOnTopic {
  group: string;
  topic: string;
}

/**
 * Consumer-group lag: per partition, the topic's end offset minus the group's committed offset (the
 * log's start offset where the group has committed nothing yet), summed over every group and
 * topic. One Admin client, made again after a failure. A failure means: not known.
 */
export function kafkaBacklog(options: { bootstrap: readonly string[]; clientId?: string }): {
  lag(groups: readonly GroupOnTopic[]): Promise<number>;
  close(): Promise<void>;
} {
  let admin: Admin | undefined;
  const client = (): Admin =>
    (admin ??= new Admin({
      clientId: options.clientId ?? 'harness-backlog',
      bootstrapBrokers: [...options.bootstrap],
      retries: 0,
      timeout: 3_000,
    }));

  async function offsets(topic: string, timestamp: bigint): Promise<Map<number, bigint>> {
    const metadata = await client().metadata({ topics: [topic] });
    const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
    const partitions = Array.from({ length: count }, (_, partitionIndex) => ({ partitionIndex, timestamp }));
    const [listed] = await client().listOffsets({ topics: [{ name: topic, partitions }] });
    return new Map((listed?.partitions ?? []).map((p) => [p.partitionIndex, p.offset]));
  }

  async function lagOf({ group, topic }: GroupOnTopic): Promise<number> {
    const [ends, starts, [committed]] = await Promise.all([
      offsets(topic, ListOffsetTimestamps.LATEST),
      offsets(topic, ListOffsetTimestamps.EARLIEST),
      client().listConsumerGroupOffsets({ groups: [group] }),
    ]);
    const done = new Map(
      (committed?.topics.find((t) => t.name === topic)?.partitions ?? []).map((p) => [
        p.partitionIndex,
        p.committedOffset,
      ]),
    );
    let lag = 0n;
    for (const [partition, end] of ends) {
      const at = done.get(partition) ?? -1n;
      const from = at >= 0n ? at : (starts.get(partition) ?? 0n);
      if (end > from) lag += end - from;
    }
    return Number(lag);
  }

  return {
    async lag(groups) {
      try {
        let total = 0;
        for (const group of groups) total += await lagOf(group);
        return total;
      } catch (error) {
        const failed = admin;
        admin = undefined;
        await failed?.close().catch(() => undefined);
        throw error;
      }
    },
    async close() {
      await admin?.close().catch(() => undefined);
      admin = undefined;
    },
  };
}
