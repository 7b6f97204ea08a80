import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The metrics of one service, in a registry of its own (served at GET /metrics). */
export interface KitMetrics {
  registry: Registry;
  /** 0 closed, 1 open, 2 half-open, 3 isolated. */
  breakerState: Gauge<'dependency'>;
  breakerTransitions: Counter<'dependency' | 'to'>;
  retries: Counter<'dependency'>;
  timeouts: Counter<'dependency'>;
  bulkheadRejections: Counter<'dependency'>;
  /** One observation per attempt that reached the dependency. */
  dependencyRequestDuration: Histogram<'dependency' | 'outcome'>;
  httpServerDuration: Histogram<'route' | 'method' | 'status'>;
  outboxLag: Gauge;
  outboxPending: Gauge;
  outboxPublished: Counter;
  outboxPublishFailures: Counter;
  consumerMessages: Counter<'queue' | 'outcome'>;
  /** Deliveries of an event id that was already processed (absorbed by the dedupe). */
  consumerRedeliveries: Counter<'queue'>;
  consumerRetries: Counter<'queue'>;
  consumerDeadLetters: Counter<'queue' | 'reason'>;
}

export interface MetricsOptions {
  /** Process metrics (CPU, memory, event loop); on by default. */
  defaultMetrics?: boolean;
}

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(service: string, options: MetricsOptions = {}): KitMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    breakerState: new Gauge({
      name: 'harness_breaker_state',
      help: 'Circuit breaker state per dependency: 0 closed, 1 open, 2 half-open, 3 isolated.',
      labelNames: ['dependency'],
      registers,
    }),
    breakerTransitions: new Counter({
      name: 'harness_breaker_transitions_total',
      help: 'Circuit breaker state transitions per dependency and target state.',
      labelNames: ['dependency', 'to'],
      registers,
    }),
    retries: new Counter({
      name: 'harness_retries_total',
      help: 'Retries of calls to a dependency.',
      labelNames: ['dependency'],
      registers,
    }),
    timeouts: new Counter({
      name: 'harness_timeouts_total',
      help: 'Attempts to call a dependency that timed out.',
      labelNames: ['dependency'],
      registers,
    }),
    bulkheadRejections: new Counter({
      name: 'harness_bulkhead_rejections_total',
      help: 'Calls rejected because the bulkhead and its queue were full.',
      labelNames: ['dependency'],
      registers,
    }),
    dependencyRequestDuration: new Histogram({
      name: 'harness_dependency_request_duration_seconds',
      help: 'Duration of each attempt to call a dependency, by outcome.',
      labelNames: ['dependency', 'outcome'],
      buckets: latencyBuckets,
      registers,
    }),
    httpServerDuration: new Histogram({
      name: 'harness_http_server_duration_seconds',
      help: 'Duration of handled HTTP requests.',
      labelNames: ['route', 'method', 'status'],
      buckets: latencyBuckets,
      registers,
    }),
    outboxLag: new Gauge({
      name: 'harness_outbox_lag_seconds',
      help: 'Age of the oldest unpublished outbox row (0 when none).',
      registers,
    }),
    outboxPending: new Gauge({ name: 'harness_outbox_pending', help: 'Unpublished outbox rows.', registers }),
    outboxPublished: new Counter({
      name: 'harness_outbox_published_total',
      help: 'Outbox rows published and confirmed by the broker.',
      registers,
    }),
    outboxPublishFailures: new Counter({
      name: 'harness_outbox_publish_failures_total',
      help: 'Outbox rows whose publish failed (left pending for the next run).',
      registers,
    }),
    consumerMessages: new Counter({
      name: 'harness_consumer_messages_total',
      help: 'Consumed messages by outcome (processed, duplicate, retried, dead_lettered, requeued).',
      labelNames: ['queue', 'outcome'],
      registers,
    }),
    consumerRedeliveries: new Counter({
      name: 'harness_consumer_redeliveries_total',
      help: 'Deliveries of an already processed event id, acknowledged without running the handler.',
      labelNames: ['queue'],
      registers,
    }),
    consumerRetries: new Counter({
      name: 'harness_consumer_retries_total',
      help: 'Messages sent to the retry queue after a handler failure.',
      labelNames: ['queue'],
      registers,
    }),
    consumerDeadLetters: new Counter({
      name: 'harness_consumer_dead_letters_total',
      help: 'Messages sent to the dead-letter queue, by reason.',
      labelNames: ['queue', 'reason'],
      registers,
    }),
  };
}
