import { Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { uniqueName } from '@harness/runtime/testing';

export interface ReadMessage {
  key: string | undefined;
  value: string;
  partition: number;
  offset: bigint;
  headers: Record<string, string>;
}

/**
 * Every message of a topic, read from the start by a consumer group of its own: waits until
 * `count` arrived (or `timeoutMs` passed), then `settleMs` more, so a duplicate would show.
 */
export async function readTopic(
  bootstrap: string,
  topic: string,
  count: number,
  { timeoutMs = 20_000, settleMs = 1_000 } = {},
): Promise<ReadMessage[]> {
  const consumer = new Consumer({
    clientId: 'kit-test-reader',
    groupId: uniqueName('kit-test-reader'),
    bootstrapBrokers: [bootstrap],
    deserializers: stringDeserializers,
  });
  const messages: ReadMessage[] = [];
  try {
    const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false, maxWaitTime: 200 });
    const deadline = Date.now() + timeoutMs;
    let settleUntil = Infinity;
    await new Promise<void>((resolve) => {
      const check = () => {
        if (messages.length >= count && settleUntil === Infinity) settleUntil = Date.now() + settleMs;
        if (Date.now() >= Math.min(deadline, settleUntil)) {
          clearInterval(timer);
          resolve();
        }
      };
      const timer = setInterval(check, 50);
      stream.on('data', (message) => {
        messages.push({
          key: message.key || undefined,
          value: message.value,
          partition: message.partition,
          offset: message.offset,
          headers: Object.fromEntries(message.headerEntries),
        });
      });
    });
  } finally {
    await consumer.close(true);
  }
  return messages;
}

/** A plain producer for the test itself (raw, invalid or duplicated messages). */
export function testProducer(bootstrap: string): Producer<string, string, string, string> {
  return new Producer({
    clientId: 'kit-test-producer',
    bootstrapBrokers: [bootstrap],
    serializers: stringSerializers,
    idempotent: true,
  });
}
