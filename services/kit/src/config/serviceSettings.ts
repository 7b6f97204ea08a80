// Schema fragments for the variables every service reads the same way. A service spreads them
// into its own `loadConfig` schema (and lists the ones it requires in `required`):
//   properties: { ...serviceSettings('payment'), ...databaseSettings({ poolMax: 16 }), ... }

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** PORT without a default (the harness always gives one); spread and add `default` to have one. */
export const portSetting = { type: 'integer', minimum: 0, maximum: 65_535 } as const;

/**
 * The standard OpenTelemetry variables of span export (see `exportTraces`): the OTLP/HTTP base URL
 * (unset: spans only get ids) and the `service.name` of the spans (default SERVICE_NAME).
 */
export const traceExportSettings = {
  OTEL_EXPORTER_OTLP_ENDPOINT: { type: 'string', format: 'uri' },
  OTEL_SERVICE_NAME: { type: 'string', minLength: 1 },
} as const;

/**
 * SERVICE_NAME (logs, metrics, pg application_name), HOST, PORT, LOG_LEVEL, LOG_REQUESTS and the
 * span export settings.
 */
export function serviceSettings(name: string) {
  return {
    ...traceExportSettings,
    SERVICE_NAME: { type: 'string', default: name },
    HOST: { type: 'string', default: '127.0.0.1' },
    PORT: portSetting,
    LOG_LEVEL: { type: 'string', enum: logLevels, default: 'info' },
    /** Fastify's two per-request log lines at info ("incoming request", "request completed"). */
    LOG_REQUESTS: { type: 'boolean', default: true },
  } as const;
}

/** The internal token every service-to-service call carries as X-Service-Token. */
export function serviceTokenSetting(minLength = 1) {
  return { SERVICE_TOKEN: { type: 'string', minLength } } as const;
}

export interface DatabaseDefaults {
  /** DB_POOL_MAX default. */
  poolMax: number;
  /** DB_CONNECT_TIMEOUT_MS default. Default 3000. */
  connectTimeoutMs?: number;
}

/** DATABASE_URL and the pool settings `createServicePool` reads. */
export function databaseSettings(defaults: DatabaseDefaults) {
  return {
    DATABASE_URL: { type: 'string', minLength: 1 },
    DB_POOL_MAX: { type: 'integer', minimum: 1, maximum: 100, default: defaults.poolMax },
    /** A query unanswered for this long fails and its connection is replaced. */
    DB_QUERY_TIMEOUT_MS: { type: 'integer', minimum: 100, default: 5_000 },
    /** How long getting a connection (new or from the pool) may take. */
    DB_CONNECT_TIMEOUT_MS: { type: 'integer', minimum: 100, default: defaults.connectTimeoutMs ?? 3_000 },
  } as const;
}

/**
 * The broker: BROKER picks RabbitMQ (AMQP_URL) or Kafka (KAFKA_BROKERS, comma-separated
 * `host:port`). A schema that lists BROKER in `required` makes the address of the one it picks
 * required too (`loadConfig`); without it the broker is optional (the gateway's read model).
 */
export const brokerSettings = {
  BROKER: { type: 'string', enum: ['rabbitmq', 'kafka'], default: 'rabbitmq' },
  AMQP_URL: { type: 'string', minLength: 1 },
  KAFKA_BROKERS: { type: 'string', minLength: 1 },
} as const;

/** The knobs of a kit consumer (`startConsumer`) and its retry queue. */
export const consumerSettings = {
  /** Unacknowledged messages in flight. */
  CONSUMER_PREFETCH: { type: 'integer', minimum: 1, maximum: 1_000, default: 20 },
  /**
   * Wait in the retry queue after a failed attempt. Fixed when the queue is first declared: the
   * broker refuses a different value for an existing queue.
   */
  CONSUMER_RETRY_DELAY_MS: { type: 'integer', minimum: 1, default: 2_000 },
  /** Failed handler runs before a message goes to the dead-letter queue. */
  CONSUMER_MAX_ATTEMPTS: { type: 'integer', minimum: 1, default: 5 },
} as const;
