import {
  createDatabaseProxy,
  createTestDatabase,
  type DatabaseProxy,
  type TestDatabase,
} from '@harness/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceApp } from '../src/app/createServiceApp.ts';
import { respond } from '../src/app/handlerTypes.ts';
import { isConnectionFailure, isDatabaseUnavailable } from '../src/db/connectionFailures.ts';
import { createPool, type Pool } from '../src/db/pool.ts';
import { withClient, withTransaction } from '../src/db/withTransaction.ts';
import { AppError } from '../src/errors/AppError.ts';
import { createMetrics } from '../src/observability/metrics.ts';
import { capturedLogger } from './support/logCapture.ts';
import { ordersSpec } from './support/ordersSpec.ts';

let database: TestDatabase;
let proxy: DatabaseProxy;
let pool: Pool;

beforeAll(async () => {
  database = await createTestDatabase('kit_outage');
  proxy = await createDatabaseProxy('kit-postgres');
  pool = createPool(proxy.urlThrough(database.url), { max: 2, queryTimeoutMs: 300, connectionTimeoutMillis: 300 });
});
afterAll(async () => {
  await pool?.end().catch(() => undefined);
  await proxy?.remove();
  await database?.drop();
});

async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('pool timeouts', () => {
  it('fails a query that gets no answer, discards its connection and serves again afterwards', async () => {
    await withClient(pool, (client) => client.query('SELECT 1'));
    const restore = await proxy.blackhole();
    let error: unknown;
    try {
      const started = Date.now();
      error = await failureOf(() => withClient(pool, (client) => client.query('SELECT 1')));
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await restore();
    }
    expect(error).toMatchObject({ message: 'Query read timeout' });
    expect(isConnectionFailure(error)).toBe(true);
    expect(isDatabaseUnavailable(error)).toBe(true);
    // The hung connection was not returned to the pool: every later query gets a healthy one.
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => withTransaction(pool, (tx) => tx.query<{ n: number }>('SELECT 7 AS n'))),
    );
    expect(answers.map((answer) => answer.rows[0]?.n)).toEqual([7, 7, 7, 7]);
  });

  it('cancels a statement on the server after the statement timeout, keeping the connection', async () => {
    const slowPool = createPool(database.url, { max: 1, queryTimeoutMs: 2_000, statementTimeoutMs: 100 });
    try {
      const error = await failureOf(() => withClient(slowPool, (client) => client.query('SELECT pg_sleep(1)')));
      expect(error).toMatchObject({ code: '57014' });
      expect(isConnectionFailure(error)).toBe(false);
      const { rows } = await withClient(slowPool, (client) => client.query<{ pid: number }>('SELECT 1 AS pid'));
      expect(rows).toEqual([{ pid: 1 }]);
    } finally {
      await slowPool.end();
    }
  });
});

describe('the app builder during a database outage', () => {
  function appOverPool() {
    const { logger, lines } = capturedLogger('orders');
    const app = createServiceApp({
      name: 'orders',
      spec: ordersSpec,
      // Stand-in handlers answer what the test needs, not what the spec says.
      validateResponses: 'off',
      logger,
      metrics: createMetrics('orders', { defaultMetrics: false }),
      unavailableRetryAfterSeconds: 2,
      handlers: {
        placeOrder: () => respond(201, {}),
        getOrder: async ({ params }: { params: { orderId: string } }) => {
          const { rows } = await pool.query<{ id: string }>('SELECT $1::text AS id', [params.orderId]);
          return respond(200, rows[0]);
        },
        fail: () => {
          throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: 'payment is unavailable', retryAfterSeconds: 5 });
        },
        getPublic: () => ({ status: 204 }),
      },
    });
    return { app, lines };
  }

  it('answers 503 DEPENDENCY_UNAVAILABLE with Retry-After instead of 500, logged as a warning', async () => {
    const { app, lines } = appOverPool();
    const url = '/orders/3f6c1a52-8d1e-4b8a-9c7e-2a1f5e9d4b10';
    expect((await app.inject({ url })).statusCode).toBe(200);
    await proxy.setEnabled(false);
    try {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('2');
      expect(res.json()).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', retryAfterSeconds: 2 });
    } finally {
      await proxy.setEnabled(true);
    }
    const logged = lines.find((line) => line.msg === 'database unavailable');
    expect(logged).toMatchObject({ level: 40, code: 'DEPENDENCY_UNAVAILABLE', dependency: 'database' });
    expect(logged).not.toHaveProperty('err');
    expect(lines.some((line) => line.level === 50)).toBe(false);
  });

  it('logs a deliberate 503 AppError at warn without a stack', async () => {
    const { app, lines } = appOverPool();
    const res = await app.inject({ url: '/failures/unavailable' });
    expect(res.statusCode).toBe(503);
    const logged = lines.find((line) => line.msg === 'request refused');
    expect(logged).toMatchObject({ level: 40, code: 'DEPENDENCY_UNAVAILABLE', detail: 'payment is unavailable' });
    expect(logged).not.toHaveProperty('err');
  });
});
