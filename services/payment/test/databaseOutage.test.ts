import { randomUUID } from 'node:crypto';
import { createLogger, createMetrics, createPool, type Pool } from '@harness/kit';
import { createDatabaseProxy, eventually, type DatabaseProxy } from '@harness/runtime/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createSimulatedPsp } from '../src/psp/simulatedPsp.ts';
import { paymentDatabase, type PaymentDatabase } from './support/paymentDatabase.ts';

const logger = createLogger({ service: 'payment', level: 'silent' });
const claimTtlMs = 1_500;
let database: PaymentDatabase;
let proxy: DatabaseProxy;
let proxiedPool: Pool;
let app: FastifyInstance;

beforeAll(async () => {
  database = await paymentDatabase();
  proxy = await createDatabaseProxy('payment-db');
  proxiedPool = createPool(proxy.urlThrough(database.url), {
    max: 4,
    applicationName: 'payment-outage-test',
    queryTimeoutMs: 500,
    connectionTimeoutMillis: 500,
    logger,
  });
  app = buildApp({
    pool: proxiedPool,
    psp: createSimulatedPsp({ slowDelayMs: 0 }),
    idempotency: { claimTtlMs, conflictRetryAfterSeconds: 1 },
    logger,
    metrics: createMetrics('payment', { defaultMetrics: false }),
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await proxiedPool?.end().catch(() => undefined);
  await proxy?.remove();
  await database?.close();
});

function charge(orderId: string) {
  return app.inject({
    method: 'POST',
    url: '/charges',
    headers: { 'idempotency-key': `charge-${orderId}` },
    payload: { orderId, amountCents: 100, currency: 'EUR', token: 'tok_approve' },
  });
}

async function chargesOf(orderId: string): Promise<number> {
  const { rows } = await database.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM charges WHERE order_id = $1',
    [orderId],
  );
  return rows[0]?.n ?? 0;
}

describe('when the database is unavailable', () => {
  it('answers 503 with Retry-After, and the same key charges once the database is back', async () => {
    const orderId = randomUUID();
    await proxy.setEnabled(false);
    try {
      const refused = await charge(orderId);
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.json()).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    } finally {
      await proxy.setEnabled(true);
    }
    const retried = await eventually(async () => {
      const response = await charge(orderId);
      return response.statusCode === 201 ? response : undefined;
    });
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(await chargesOf(orderId)).toBe(1);
  });

  it('charges exactly once when answers are lost after the key was claimed', async () => {
    const orderId = randomUUID();
    // A warm pool connection, so that the claim reaches the database once answers are cut.
    expect((await app.inject({ method: 'GET', url: `/charges?orderId=${orderId}` })).statusCode).toBe(200);
    // Requests reach the database, answers never come back: the claim is stored, nobody hears it.
    const restore = await proxy.blackhole(['downstream']);
    try {
      expect((await charge(orderId)).statusCode).toBe(503);
    } finally {
      await restore();
    }
    const outcomes: number[] = [];
    const settled = await eventually(async () => {
      const response = await charge(orderId);
      outcomes.push(response.statusCode);
      return response.statusCode === 201 ? response : undefined;
    }, claimTtlMs + 8_000);
    // Until the orphaned claim expires the key is in flight (409).
    expect(outcomes).toContain(409);
    expect(outcomes.slice(0, -1).every((status) => status === 409 || status === 503)).toBe(true);
    expect(settled.statusCode).toBe(201);
    expect((await charge(orderId)).headers['idempotent-replayed']).toBe('true');
    expect(await chargesOf(orderId)).toBe(1);
  });
});
