import { createLogger, createMetrics } from '@harness/kit';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import type { InventoryDatabase } from './inventoryDatabase.ts';

export const SERVICE_TOKEN = 'test-service-token';

/** The inventory app on a test database, requiring SERVICE_TOKEN, logging nothing. */
export function testApp(database: InventoryDatabase): FastifyInstance {
  return buildApp({
    pool: database.pool,
    logger: createLogger({ service: 'inventory', level: 'silent' }),
    metrics: createMetrics('inventory', { defaultMetrics: false }),
    serviceToken: SERVICE_TOKEN,
    healthChecks: { postgres: async () => void (await database.pool.query('SELECT 1')) },
  });
}
