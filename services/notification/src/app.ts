import { notificationSpec } from './notificationSpec.ts';
import { createServiceApp, type HealthCheck, type KitMetrics, type Logger, type Queryable } from '@harness/kit';
import type { FastifyInstance } from 'fastify';
import { listNotificationsHandler } from './listNotificationsHandler.ts';

export interface NotificationAppDeps {
  db: Queryable;
  logger: Logger;
  metrics: KitMetrics;
  /** Required as X-Service-Token on /notifications. */
  serviceToken: string;
  healthChecks?: Readonly<Record<string, HealthCheck>>;
  /** Fastify's per-request log lines (default true). */
  logRequests?: boolean;
}

/** The notification service's HTTP API (never listening): `GET /notifications?orderId=`. */
export function buildApp(deps: NotificationAppDeps): FastifyInstance {
  return createServiceApp({
    name: 'notification',
    spec: notificationSpec,
    handlers: { listNotifications: listNotificationsHandler(deps.db) },
    serviceToken: deps.serviceToken,
    logger: deps.logger,
    metrics: deps.metrics,
    ...(deps.healthChecks === undefined ? {} : { healthChecks: deps.healthChecks }),
    ...(deps.logRequests === undefined ? {} : { logRequests: deps.logRequests }),
  });
}
