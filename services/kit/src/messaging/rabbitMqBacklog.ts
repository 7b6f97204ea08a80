import type { Channel, ChannelModel } from 'amqplib';
import type { BrokerConnection } from './BrokerConnection.ts';

/**
 * Messages waiting in these queues, counted through a channel of the broker connection (made
 * again on every reconnection). Messages a consumer holds unacknowledged are in hand, not waiting;
 * a message waiting for a retry counts. A failure means: not known.
 */
export function rabbitMqBacklog(broker: BrokerConnection, queueNames: readonly string[]): () => Promise<number> {
  let connection: ChannelModel | undefined;
  let channel: Channel | undefined;
  void broker.addSetup(async (connected) => {
    connection = connected;
    channel = undefined;
  });
  const openChannel = async (): Promise<Channel> => {
    if (!connection) throw new Error('not connected to the broker yet');
    const opened = await connection.createChannel();
    // A failed check (a queue not declared yet) closes the channel: the next check opens another.
    opened.on('close', () => {
      if (channel === opened) channel = undefined;
    });
    opened.on('error', () => undefined);
    return opened;
  };
  return async () => {
    channel ??= await openChannel();
    let waiting = 0;
    for (const name of queueNames) waiting += (await channel.checkQueue(name)).messageCount;
    return waiting;
  };
}
