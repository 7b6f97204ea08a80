// A Kafka consumer in a process of its own, for the test that kills one (SIGKILL) between its
// transaction and its offset commit. Its handler records the effect and, the first time, disables
// the broker's Toxiproxy proxy so the offset commit cannot go out before the kill.
import { Toxiproxy } from 'toxiproxy-node-client';
import { createPool } from '../../src/db/pool.ts';
import type { QueueTopology } from '../../src/messaging/declareTopology.ts';
import { startKafkaConsumer } from '../../src/messaging/kafka/startKafkaConsumer.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
const queue = JSON.parse(env('QUEUE')) as QueueTopology;
const proxy = await new Toxiproxy(env('TOXIPROXY_URL')).get(env('PROXY_NAME'));
const pool = createPool(env('DATABASE_URL'));
let cut = false;
await startKafkaConsumer<{ orderId: string }>({
  pool,
  bootstrap: [env('BOOTSTRAP')],
  topic: env('TOPIC'),
  queue,
  validate: () => ({ ok: true }),
  handle: async (tx, message) => {
    await tx.query('INSERT INTO effects (event_id, queue) VALUES ($1, $2)', [message.eventId, queue.name]);
    if (!cut) {
      cut = true;
      await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    }
    console.log(`handled ${message.eventId}`);
  },
});
console.log('consuming');
