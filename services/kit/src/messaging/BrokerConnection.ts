import amqp, { type ChannelModel, type ConfirmChannel, type Options } from 'amqplib';
import type { Logger } from '../observability/logger.ts';

/** Work to redo on every (re)connection: declare topology, open consumer channels. */
export type ConnectionSetup = (connection: ChannelModel) => Promise<void>;

/**
 * One message to publish, in AMQP terms: on Kafka (KafkaPublisher) the exchange is the topic, the
 * routing key travels in the `x-routing-key` header and `key` picks the partition.
 */
export interface PublishRequest {
  exchange: string;
  routingKey: string;
  content: Buffer;
  /** Partition key on Kafka: messages with the same key stay in order. AMQP ignores it. */
  key?: string;
  options?: Options.Publish;
}

/** What publishers need from the broker: publish and wait for the broker's confirm. */
export interface MessagePublisher {
  publish(message: PublishRequest): Promise<void>;
}

export interface BrokerConnectionOptions {
  url: string;
  logger?: Logger;
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** AMQP heartbeat, so a silently dead connection is noticed. Default 5 s. */
  heartbeatSeconds?: number;
}

export class BrokerUnavailableError extends Error {
  override readonly name = 'BrokerUnavailableError';
}

/** A mandatory message no queue was bound to receive. */
export class UnroutableMessageError extends Error {
  override readonly name = 'UnroutableMessageError';
}

/**
 * One AMQP connection that comes back by itself: when the broker restarts or the connection
 * drops it reconnects with exponential backoff and reruns every registered setup (topology,
 * consumers). Publishing goes through a confirm channel and resolves on the broker's ack.
 */
export class BrokerConnection implements MessagePublisher {
  readonly #url: string;
  readonly #logger: Logger | undefined;
  readonly #initialDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #setups = new Set<ConnectionSetup>();
  readonly #returned = new Set<string>();
  #connection: ChannelModel | undefined;
  #publishChannel: Promise<ConfirmChannel> | undefined;
  #connecting: Promise<void> | undefined;
  #closing = false;
  #cancelSleep: (() => void) | undefined;

  constructor(options: BrokerConnectionOptions) {
    const url = new URL(options.url);
    if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', String(options.heartbeatSeconds ?? 5));
    this.#url = url.toString();
    this.#logger = options.logger;
    this.#initialDelayMs = options.reconnect?.initialDelayMs ?? 200;
    this.#maxDelayMs = options.reconnect?.maxDelayMs ?? 5_000;
  }

  /** Connects (retrying until it succeeds or `close()` is called). */
  start(): Promise<void> {
    this.#closing = false;
    this.#connecting ??= this.#connectLoop();
    return this.#connecting;
  }

  isConnected(): boolean {
    return this.#connection !== undefined;
  }

  /** Registers a setup for every future connection and runs it now if connected. */
  async addSetup(setup: ConnectionSetup): Promise<void> {
    this.#setups.add(setup);
    if (this.#connection) await setup(this.#connection);
  }

  removeSetup(setup: ConnectionSetup): void {
    this.#setups.delete(setup);
  }

  async publish({ exchange, routingKey, content, options = {} }: PublishRequest): Promise<void> {
    const channel = await this.#confirmChannel();
    await new Promise<void>((resolve, reject) => {
      channel.publish(exchange, routingKey, content, options, (error: unknown) =>
        error
          ? reject(new BrokerUnavailableError(`publish not confirmed: ${String(error)}`, { cause: error }))
          : resolve(),
      );
    });
    const messageId = options.messageId;
    if (options.mandatory && messageId !== undefined && this.#returned.delete(messageId)) {
      throw new UnroutableMessageError(`no queue is bound for ${exchange} / ${routingKey}`);
    }
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#cancelSleep?.();
    await this.#connecting?.catch(() => undefined);
    const connection = this.#connection;
    this.#connection = undefined;
    this.#publishChannel = undefined;
    await connection?.close().catch(() => undefined);
  }

  async #connectLoop(): Promise<void> {
    try {
      for (let attempt = 1; !this.#closing; attempt++) {
        let connection: ChannelModel | undefined;
        try {
          connection = await amqp.connect(this.#url, { timeout: 5_000 });
          let closed = false;
          const opened = connection;
          opened.on('error', (error: Error) => this.#logger?.warn({ err: error }, 'broker connection error'));
          opened.on('close', () => {
            closed = true;
            this.#onClose(opened);
          });
          for (const setup of this.#setups) await setup(opened);
          if (closed) throw new Error('connection closed during setup');
          this.#connection = opened;
          this.#logger?.info({ attempt }, 'connected to the broker');
          return;
        } catch (error) {
          await connection?.close().catch(() => undefined);
          if (this.#closing) return;
          const delayMs =
            Math.min(this.#maxDelayMs, this.#initialDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
          this.#logger?.warn(
            { err: error, attempt, delayMs: Math.round(delayMs) },
            'broker connection failed, retrying',
          );
          await this.#sleep(delayMs);
        }
      }
    } finally {
      this.#connecting = undefined;
    }
  }

  #onClose(connection: ChannelModel): void {
    if (this.#connection !== connection) return;
    this.#connection = undefined;
    this.#publishChannel = undefined;
    if (this.#closing) return;
    this.#logger?.warn('broker connection lost, reconnecting');
    this.#connecting ??= this.#connectLoop();
  }

  #confirmChannel(): Promise<ConfirmChannel> {
    const connection = this.#connection;
    if (!connection) return Promise.reject(new BrokerUnavailableError('not connected to the broker'));
    if (this.#publishChannel) return this.#publishChannel;
    const created = connection.createConfirmChannel().then((channel) => {
      channel.on('error', (error: Error) => this.#logger?.warn({ err: error }, 'publish channel error'));
      channel.on('close', () => {
        if (this.#publishChannel === created) this.#publishChannel = undefined;
      });
      channel.on('return', (message: amqp.Message) => {
        const messageId: unknown = message.properties.messageId;
        if (typeof messageId === 'string') this.#returned.add(messageId);
      });
      return channel;
    });
    created.catch(() => {
      if (this.#publishChannel === created) this.#publishChannel = undefined;
    });
    this.#publishChannel = created;
    return created;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#cancelSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
