import {
  rabbitMqBacklog as kitRabbitMqBacklog,
  type BrokerConnection,
  type KitMetrics,
  type Logger,
} from '@harness/kit';
import { Gauge } from 'prom-client';

/** How many events wait to be projected (a failure means: not known). */
export type BacklogProbe = () => Promise<number>;

/**
 * The read model's queue and its retry queue, counted through a channel of the service's RabbitMQ
 * connection (the kit's `rabbitMqBacklog`; `MessageBus.backlog` does the same on either broker:
 * on Kafka the consumer-group lag).
 */
export function rabbitMqBacklog(broker: BrokerConnection, queueNames: readonly string[]): BacklogProbe {
  return kitRabbitMqBacklog(broker, queueNames);
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
 * broker cannot be asked, and while a backlog drains), whatever the backlog counts: queued
 * messages on RabbitMQ, consumer-group lag (end offsets minus committed offsets) on Kafka. Exported as the gauge
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
