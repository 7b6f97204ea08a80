import { ProduceAcks, Producer, stringSerializers } from '@platformatic/kafka';
import type { Logger } from '../../observability/logger.ts';
import { BrokerUnavailableError, type MessagePublisher, type PublishRequest } from '../BrokerConnection.ts';
import { kafkaHeadersOf } from './kafkaHeaders.ts';

export interface KafkaPublisherOptions {
  /** `host:port` of the brokers to bootstrap from (normally a Toxiproxy proxy's address). */
  bootstrap: readonly string[];
  clientId?: string;
  logger?: Logger;
  /**
   * How long one send may take before it counts as failed. The client waits for a broker it lost
   * instead of failing, so without this a publish behind a dead link would never settle. A send
   * that times out may still land later: delivery stays at least once. Default 10 s.
   */
  sendTimeoutMs?: number;
}

interface Pending {
  request: PublishRequest;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * The outbox relay's and the consumers' publisher on Kafka: an idempotent producer with
 * acks=all, so a publish resolves only once every in-sync replica has the message and a retried
 * produce request is not written twice. The publishes made in one tick (the relay's batch) go out
 * as one produce request, in the order they were made, and one request is in flight at a time:
 * messages with the same key keep their order.
 */
export class KafkaPublisher implements MessagePublisher {
  readonly #producer: Producer<string, string, string, string>;
  readonly #logger: Logger | undefined;
  readonly #sendTimeoutMs: number;
  #queued: Pending[] = [];
  #flushScheduled = false;
  #previous: Promise<void> = Promise.resolve();

  constructor(options: KafkaPublisherOptions) {
    this.#producer = new Producer({
      clientId: options.clientId ?? 'harness-publisher',
      bootstrapBrokers: [...options.bootstrap],
      serializers: stringSerializers,
      idempotent: true,
      acks: ProduceAcks.ALL,
      // Topics are declared (declareKafkaTopology): a message for an unknown topic fails, like a
      // mandatory AMQP message no queue is bound for, and its outbox row stays pending.
      autocreateTopics: false,
      retries: 3,
      retryDelay: 200,
      timeout: 5_000,
    });
    this.#logger = options.logger;
    this.#sendTimeoutMs = options.sendTimeoutMs ?? 10_000;
  }

  publish(request: PublishRequest): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queued.push({ request, resolve, reject });
      if (this.#flushScheduled) return;
      this.#flushScheduled = true;
      queueMicrotask(() => {
        this.#flushScheduled = false;
        const batch = this.#queued;
        this.#queued = [];
        this.#previous = this.#previous.then(() => this.#send(batch));
      });
    });
  }

  /** Connects (a metadata request) so that `isConnected()` tells the truth before the first publish. */
  async connect(): Promise<void> {
    await this.#producer.metadata({ topics: [], forceUpdate: true });
  }

  isConnected(): boolean {
    return this.#producer.isConnected();
  }

  async close(): Promise<void> {
    await this.#previous;
    await this.#producer.close(true);
  }

  async #send(batch: Pending[]): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const sent = this.#producer.send({
        messages: batch.map(({ request }) => ({
          topic: request.exchange,
          ...(request.key === undefined ? {} : { key: request.key }),
          value: request.content.toString('utf8'),
          headers: kafkaHeadersOf(request),
        })),
      });
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new BrokerUnavailableError(`no acknowledgement from Kafka in ${this.#sendTimeoutMs} ms`)),
          this.#sendTimeoutMs,
        );
      });
      sent.catch(() => undefined);
      await Promise.race([sent, timeout]);
      for (const pending of batch) pending.resolve();
    } catch (error) {
      this.#logger?.warn({ err: error, messages: batch.length }, 'kafka publish failed');
      const failure =
        error instanceof BrokerUnavailableError
          ? error
          : new BrokerUnavailableError(`kafka publish failed: ${String(error)}`, { cause: error });
      for (const pending of batch) pending.reject(failure);
    } finally {
      clearTimeout(timer);
    }
  }
}
