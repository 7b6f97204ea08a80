import amqp, { type ChannelModel } from 'amqplib';

export interface CollectedEvent {
  routingKey: string;
  eventType: unknown;
  headers: Record<string, unknown>;
  payload: { orderId?: string; [key: string]: unknown };
}

/**
 * A temporary queue bound to the `orders` exchange (every routing key), collecting what the
 * order service publishes. The exchange is shared by every test, so read events by order id.
 */
export async function collectOrderEvents(amqpUrl: string) {
  const connection: ChannelModel = await amqp.connect(amqpUrl);
  const channel = await connection.createChannel();
  await channel.assertExchange('orders', 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, 'orders', '#');
  const events: CollectedEvent[] = [];
  await channel.consume(
    queue,
    (message) => {
      if (!message) return;
      events.push({
        routingKey: message.fields.routingKey,
        eventType: message.properties.type,
        headers: message.properties.headers ?? {},
        payload: JSON.parse(message.content.toString('utf8')) as CollectedEvent['payload'],
      });
    },
    { noAck: true },
  );
  return {
    forOrder: (orderId: string): CollectedEvent[] => events.filter((event) => event.payload.orderId === orderId),
    async close(): Promise<void> {
      await connection.close().catch(() => undefined);
    },
  };
}
