import { createServiceApp, type HealthCheck, type KitMetrics, type Logger, type Pool } from '@harness/kit';
import type { FastifyInstance } from 'fastify';
import { catalogHandlers } from './catalog/catalogHandlers.ts';
import { inventorySpec } from './inventorySpec.ts';
import { reservationHandlers } from './reservations/reservationHandlers.ts';

export { loadMigrations } from './migrations.ts';
export { seedCatalog } from './catalog/productStore.ts';
export { defaultCatalog, type CatalogStock } from './catalog/defaultCatalog.ts';
export type { CatalogEntry, Product } from './catalog/Product.ts';

export interface InventoryAppDeps {
  /** The inventory database, migrated with `loadMigrations()` (and seeded with `seedCatalog`). */
  pool: Pool;
  logger: Logger;
  metrics: KitMetrics;
  /** Required as X-Service-Token on every operation the spec secures; unset only in tests. */
  serviceToken?: string;
  /** Retry-After of the 503 answered while the database is unavailable. Default 1. */
  retryAfterSeconds?: number;
  /** Readiness checks (postgres, rabbitmq) served at /health/ready. */
  healthChecks?: Readonly<Record<string, HealthCheck>>;
  /** Fastify's per-request log lines (default true). */
  logRequests?: boolean;
}

/** The inventory service's HTTP app: catalog and reservations. Never listens; main.ts does. */
export function buildApp(deps: InventoryAppDeps): FastifyInstance {
  return createServiceApp({
    name: 'inventory',
    spec: inventorySpec,
    handlers: { ...catalogHandlers(deps.pool), ...reservationHandlers(deps.pool) },
    // A database outage answers 503 DEPENDENCY_UNAVAILABLE + Retry-After (the kit maps it).
    unavailableRetryAfterSeconds: deps.retryAfterSeconds ?? 1,
    logger: deps.logger,
    metrics: deps.metrics,
    ...(deps.logRequests === undefined ? {} : { logRequests: deps.logRequests }),
    ...(deps.serviceToken === undefined ? {} : { serviceToken: deps.serviceToken }),
    ...(deps.healthChecks === undefined ? {} : { healthChecks: deps.healthChecks }),
  });
}
