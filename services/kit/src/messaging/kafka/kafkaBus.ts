import type { Logger } from '../../observability/logger.ts';
import { retryQueueOf, type MessagingTopology } from '../declareTopology.ts';
import type { BusConsumerOptions, MessageBus } from '../MessageBus.ts';
import type { Consumer } from '../startConsumer.ts';
import { declareKafkaTopology } from './declareKafkaTopology.ts';
import { kafkaBacklog } from './kafkaBacklog.ts';
import { KafkaPublisher } from './KafkaPublisher.ts';
import { startKafkaConsumer } from './startKafkaConsumer.ts';

export interface KafkaBusOptions {
  bootstrap: readonly string[];
  logger?: Logger;
  /** Partitions of each event topic it declares. Default 3. */
  partitions?: number;
  clientId?: string;
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
}

/**
 * The bus on Kafka. Until `start()` has reached the broker and declared the topics, consumers are
 * only registered: they start then, so a service can come up before its broker does (as on
 * RabbitMQ, where setups wait for the connection). After that the client reconnects by itself.
 */
export function kafkaBus(options: KafkaBusOptions): MessageBus {
  const { bootstrap, logger } = options;
  const publisher = new KafkaPublisher({
    bootstrap,
    clientId: options.clientId ?? 'harness-bus',
    ...(logger === undefined ? {} : { logger }),
  });
  const lagOf = kafkaBacklog({ bootstrap, clientId: `${options.clientId ?? 'harness-bus'}-backlog` });
  const topologies: MessagingTopology[] = [];
  /** The event topic a queue's group reads: its topology's exchange. */
  const topicOf = (queue: string): string => {
    const topology = topologies.find((candidate) => candidate.queues.some((declared) => declared.name === queue));
    if (!topology) throw new Error(`queue ${queue} is not in any topology declared on this bus`);
    return topology.exchange;
  };
  const waiting: (() => Promise<void>)[] = [];
  const running = new Set<Consumer>();
  let ready = false;
  let reconnecting: Promise<void> | undefined;
  let closing = false;
  let starting: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  const declare = (topology: MessagingTopology) =>
    declareKafkaTopology(topology, {
      bootstrap,
      ...(options.partitions === undefined ? {} : { partitions: options.partitions }),
    });

  async function connectLoop(): Promise<void> {
    const initial = options.reconnect?.initialDelayMs ?? 200;
    const max = options.reconnect?.maxDelayMs ?? 5_000;
    for (let attempt = 1; !closing; attempt++) {
      try {
        await publisher.connect();
        for (const topology of topologies) await declare(topology);
        ready = true;
        logger?.info({ attempt }, 'connected to Kafka');
        // A consumer leaves the waiting list only once it started: one whose group could not form
        // yet (the coordinator still electing, say) is tried again on the next round.
        for (let next = waiting[0]; next !== undefined && !closing; next = waiting[0]) {
          await next();
          if (waiting[0] === next) waiting.shift();
        }
        return;
      } catch (error) {
        const delayMs = Math.min(max, initial * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
        logger?.warn({ err: error, attempt, delayMs: Math.round(delayMs) }, 'Kafka not reachable, retrying');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delayMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  return {
    kind: 'kafka',
    publish: (request) => publisher.publish(request),
    async declare(topology) {
      topologies.push(topology);
      if (ready) await declare(topology);
    },
    async consume<Payload>({ exchange, ...consumer }: BusConsumerOptions<Payload>): Promise<Consumer> {
      let started: Consumer | undefined;
      let stopped = false;
      const startIt = async () => {
        if (stopped) return;
        started = await startKafkaConsumer<Payload>({ ...consumer, bootstrap, topic: exchange, publisher });
        running.add(started);
      };
      if (ready) await startIt();
      else waiting.push(startIt);
      return {
        async stop() {
          stopped = true;
          const index = waiting.indexOf(startIt);
          if (index >= 0) waiting.splice(index, 1);
          if (started) running.delete(started);
          await started?.stop();
        },
      };
    },
    backlog: (queue) =>
      lagOf.lag([
        { group: queue, topic: topicOf(queue) },
        { group: `${queue}.retry`, topic: retryQueueOf(queue) },
      ]),
    start() {
      starting ??= connectLoop();
      return starting;
    },
    isConnected() {
      if (!ready) return false;
      if (publisher.isConnected()) return true;
      // The client reconnects only when used: a service that rarely publishes (a consumer, whose
      // producer carries only retries and dead letters) would stay "not connected" after a broker
      // restart. Asking is a use: try in the background, the next check sees the result.
      reconnecting ??= publisher
        .connect()
        .catch(() => undefined)
        .finally(() => {
          reconnecting = undefined;
        });
      return false;
    },
    async close() {
      closing = true;
      wake?.();
      await starting;
      await Promise.allSettled([...running].map((consumer) => consumer.stop()));
      await publisher.close();
      await lagOf.close();
    },
  };
}
