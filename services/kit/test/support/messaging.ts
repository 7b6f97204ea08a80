import amqp, { type Channel, type ChannelModel, type GetMessage } from 'amqplib';

/** A plain amqplib connection for the test itself: publish raw messages, read queues. */
export async function openTestChannel(url: string): Promise<{ channel: Channel; close(): Promise<void> }> {
  const connection: ChannelModel = await amqp.connect(url);
  const channel = await connection.createChannel();
  return {
    channel,
    close: async () => {
      await connection.close().catch(() => undefined);
    },
  };
}

/** Drains a queue without consuming from it in the background (basic.get until empty). */
export async function drainQueue(channel: Channel, queue: string): Promise<GetMessage[]> {
  const messages: GetMessage[] = [];
  for (;;) {
    const message = await channel.get(queue, { noAck: true });
    if (message === false) return messages;
    messages.push(message);
  }
}

export function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}
