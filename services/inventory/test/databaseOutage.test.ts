import { randomUUID } from 'node:crypto';
import { createLogger, createMetrics, createPool, type Pool } from '@harness/kit';
import { createDatabaseProxy, eventually, type DatabaseProxy } from '@harness/runtime/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { testCatalog } from './support/catalogFixture.ts';
import { inventoryDatabase, type InventoryDatabase } from './support/inventoryDatabase.ts';
import { stockLevels } from './support/stockLevels.ts';

const logger = createLogger({ service: 'inventory', level: 'silent' });
let database: InventoryDatabase;
let proxy: DatabaseProxy;
let proxiedPool: Pool;
let app: FastifyInstance;

beforeAll(async () => {
  database = await inventoryDatabase(testCatalog());
  proxy = await createDatabaseProxy('inventory-db');
  proxiedPool = createPool(proxy.urlThrough(database.url), {
    max: 4,
    applicationName: 'inventory-outage-test',
    queryTimeoutMs: 500,
    connectionTimeoutMillis: 500,
    logger,
  });
  app = buildApp({ pool: proxiedPool, logger, metrics: createMetrics('inventory', { defaultMetrics: false }) });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await proxiedPool?.end().catch(() => undefined);
  await proxy?.remove();
  await database?.close();
});

const listProducts = () => app.inject({ method: 'GET', url: '/products' });
const reserve = (orderId: string) =>
  app.inject({
    method: 'PUT',
    url: `/reservations/${orderId}`,
    payload: { items: [{ productId: 'espresso-1kg', quantity: 1 }] },
  });

describe('when the database is unavailable', () => {
  it('answers 503 DEPENDENCY_UNAVAILABLE with Retry-After while it is cut off, and serves again once it is back', async () => {
    expect((await listProducts()).statusCode).toBe(200);
    await proxy.setEnabled(false);
    try {
      const before = await stockLevels(database.pool);
      const refused = await reserve(randomUUID());
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.json()).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', retryAfterSeconds: 1 });
      expect((await listProducts()).statusCode).toBe(503);
      expect(await stockLevels(database.pool)).toEqual(before);
    } finally {
      await proxy.setEnabled(true);
    }
    await eventually(async () => (await listProducts()).statusCode === 200);
  });

  it('fails fast when the database stops answering, and recovers every pool slot afterwards', async () => {
    expect((await listProducts()).statusCode).toBe(200);
    const restore = await proxy.blackhole();
    try {
      const started = performance.now();
      // More requests than pool slots: every connection hangs and must time out.
      const answers = await Promise.all(Array.from({ length: 8 }, () => listProducts()));
      expect(answers.map((a) => a.statusCode)).toEqual(Array(8).fill(503));
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      await restore();
    }
    await eventually(async () => (await listProducts()).statusCode === 200);
    const burst = await Promise.all(Array.from({ length: 8 }, () => listProducts()));
    expect(burst.map((a) => a.statusCode)).toEqual(Array(8).fill(200));
  });
});
