import type { BrokerConnection, KitMetrics, Logger } from '@harness/kit';
import type { Channel, ChannelModel } from 'amqplib';
import { Gauge } from 'prom-client';

/** How many events wait to be projected (a failure means: not known). */
export type BacklogProbe = () => Promise<number>;

/**
 * The read model's queue and its retry queue, counted through a channel of the service's broker
 * connection (made again on every reconnection). Messages the consumer holds unacknowledged are
 * in hand, not waiting, and a message waiting for a retry counts.
 */
export function rabbitMqBacklog(broker: BrokerConnection, queueNames: readonly string[]): BacklogProbe {
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

export interface ReadModelLagOptions {
  backlog: BacklogProbe;
  /** How often the backlog is asked. */
  intervalMs: number;
  /** Above this lag the read model's answers are marked stale. */
  staleAfterMs: number;
  metrics?: KitMetrics;
  logger?: Logger;
  now?: () => number;
}

export interface ReadModelLag {
  /** Seconds since the read model was last known to have consumed every published event. */
  lagSeconds(): number;
  stale(): boolean;
  /** Asks the backlog once now (the timer does it every interval). */
  check(): Promise<void>;
  stop(): void;
}

/**
 * The read model's lag: the time since a check last found nothing waiting (so it grows while the
 * broker cannot be asked, and while a backlog drains). Exported as the gauge
 * `harness_read_model_lag_seconds`.
 */
export function trackReadModelLag(options: ReadModelLagOptions): ReadModelLag {
  const now = options.now ?? Date.now;
  const startedAt = now();
  let caughtUpAt: number | undefined;
  let failures = 0;
  const lagSeconds = (): number => Math.max(0, (now() - (caughtUpAt ?? startedAt)) / 1000);
  const check = async (): Promise<void> => {
    try {
      if ((await options.backlog()) === 0) caughtUpAt = now();
      failures = 0;
    } catch (error) {
      // Not known: the lag keeps growing from the last time it was caught up.
      if (failures++ === 0) options.logger?.warn({ err: error }, 'read model backlog unknown');
    }
  };
  const timer = setInterval(() => void check(), options.intervalMs);
  timer.unref();
  if (options.metrics) {
    new Gauge({
      name: 'harness_read_model_lag_seconds',
      help: 'Seconds since the order history read model was last known to have consumed every event.',
      registers: [options.metrics.registry],
      collect() {
        this.set(lagSeconds());
      },
    });
  }
  return {
    lagSeconds,
    stale: () => lagSeconds() * 1000 > options.staleAfterMs,
    check,
    stop: () => clearInterval(timer),
  };
}
