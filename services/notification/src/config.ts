import { loadConfig, type ConfigOf } from '@harness/kit';

/** Environment of the notification service (validated in main.ts). */
export const notificationConfigSchema = {
  type: 'object',
  properties: {
    SERVICE_NAME: { type: 'string', default: 'notification' },
    HOST: { type: 'string', default: '127.0.0.1' },
    PORT: { type: 'integer', minimum: 0, maximum: 65_535, default: 3004 },
    LOG_LEVEL: {
      type: 'string',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
    },
    SERVICE_TOKEN: { type: 'string', minLength: 1 },
    /** Fastify's two per-request log lines at info ("incoming request", "request completed"). */
    LOG_REQUESTS: { type: 'boolean', default: true },
    DATABASE_URL: { type: 'string', minLength: 1 },
    AMQP_URL: { type: 'string', minLength: 1 },
    DB_POOL_MAX: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
    /** A query unanswered for this long fails and its connection is replaced. */
    DB_QUERY_TIMEOUT_MS: { type: 'integer', minimum: 100, default: 5_000 },
    /** Unacknowledged order events in flight. */
    CONSUMER_PREFETCH: { type: 'integer', minimum: 1, maximum: 1_000, default: 20 },
    /**
     * Wait in `notification.order-events.retry` after a failed attempt. Fixed when the queue is
     * first declared: the broker refuses a different value for an existing queue.
     */
    CONSUMER_RETRY_DELAY_MS: { type: 'integer', minimum: 1, default: 2_000 },
    /** Failed handler runs before a message goes to `notification.order-events.dlq`. */
    CONSUMER_MAX_ATTEMPTS: { type: 'integer', minimum: 1, default: 5 },
  },
  required: ['SERVICE_TOKEN', 'DATABASE_URL', 'AMQP_URL'],
} as const;

export type NotificationConfig = ConfigOf<typeof notificationConfigSchema>;

export function loadNotificationConfig(env: Readonly<Record<string, string | undefined>>): NotificationConfig {
  return loadConfig(notificationConfigSchema, env);
}
