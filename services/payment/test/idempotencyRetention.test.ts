import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startIdempotencyPurger } from '../src/idempotency/idempotencyPurger.ts';
import { claimIdempotencyKey } from '../src/idempotency/idempotencyStore.ts';
import { purgeIdempotencyKeys } from '../src/idempotency/purgeIdempotencyKeys.ts';
import { paymentDatabase, type PaymentDatabase } from './support/paymentDatabase.ts';
import { SERVICE_TOKEN, testApp } from './support/testApp.ts';

const HOUR_MS = 3_600_000;
const retention = { retentionMs: 24 * HOUR_MS, batchSize: 2 };

let database: PaymentDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  database = await paymentDatabase();
  app = testApp(database);
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});
beforeEach(async () => {
  await database.pool.query('TRUNCATE idempotency_keys, refunds, charges');
});

const chargeBody = (token = 'tok_approve') => ({ orderId: randomUUID(), amountCents: 1250, currency: 'EUR', token });

function charge(key: string, body: object) {
  return app.inject({
    method: 'POST',
    url: '/charges',
    headers: { 'x-service-token': SERVICE_TOKEN, 'idempotency-key': key },
    payload: body,
  });
}

/** Moves a key's clock back: completed (or its claim expired) `hours` ago. */
async function age(key: string, hours: number): Promise<void> {
  await database.pool.query(
    `UPDATE idempotency_keys
        SET created_at = now() - ($2 + 1) * interval '1 hour',
            completed_at = CASE WHEN state = 'COMPLETED' THEN now() - $2 * interval '1 hour' END,
            locked_until = CASE WHEN state = 'IN_FLIGHT' THEN locked_until - $2 * interval '1 hour' END
      WHERE key = $1`,
    [key, hours],
  );
}

async function keys(): Promise<string[]> {
  const { rows } = await database.pool.query<{ key: string }>('SELECT key FROM idempotency_keys ORDER BY key');
  return rows.map((row) => row.key);
}

async function chargeCount(): Promise<number> {
  const { rows } = await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM charges');
  return rows[0]!.n;
}

describe('Idempotency-Key retention', () => {
  it('purges keys completed before the window, keeps recent and in-flight ones, and keeps every charge', async () => {
    for (const key of ['old-approved-1', 'old-approved-2', 'old-approved-3', 'recent-approved']) {
      expect((await charge(key, chargeBody())).statusCode).toBe(201);
    }
    expect((await charge('old-declined', chargeBody('tok_decline'))).statusCode).toBe(402);
    // In flight for a day and still holding its claim (a live request), and one whose holder
    // crashed so long ago that its claim expired before the window began.
    await claimIdempotencyKey(database.pool, 'in-flight-live', 'fp', 10_000);
    await claimIdempotencyKey(database.pool, 'in-flight-abandoned', 'fp', 10_000);
    for (const key of ['old-approved-1', 'old-approved-2', 'old-approved-3', 'old-declined']) await age(key, 25);
    await database.pool.query(
      `UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'in-flight-live'`,
    );
    await age('in-flight-abandoned', 25);
    await age('recent-approved', 23);

    // Batches of 2: the five expired keys take three statements.
    expect(await purgeIdempotencyKeys(database.pool, retention)).toBe(5);
    expect(await keys()).toEqual(['in-flight-live', 'recent-approved']);
    expect(await chargeCount()).toBe(4);
    expect(await purgeIdempotencyKeys(database.pool, retention)).toBe(0);
  });

  it('treats a key sent again after its record was purged as a new key', async () => {
    const first = await charge('reused-after-purge', chargeBody());
    expect(first.statusCode).toBe(201);
    await age('reused-after-purge', 25);
    expect(await purgeIdempotencyKeys(database.pool, retention)).toBe(1);

    // Another body under the same key: no 422 IDEMPOTENCY_KEY_REUSED, no replay, a new charge.
    const body = chargeBody();
    const again = await charge('reused-after-purge', body);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.json().id).not.toBe(first.json().id);
    expect(await chargeCount()).toBe(2);
    // …and from then on the key replays its new response as usual.
    const replay = await charge('reused-after-purge', body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(again.json());
  });

  it('still replays a recent key', async () => {
    const body = chargeBody();
    const first = await charge('recent-replay', body);
    await age('recent-replay', 23);
    expect(await purgeIdempotencyKeys(database.pool, retention)).toBe(0);
    const replay = await charge('recent-replay', body);
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
  });

  it('purges periodically, from the start, until stopped', async () => {
    await charge('periodic-old', chargeBody());
    await age('periodic-old', 25);
    const purger = startIdempotencyPurger({ db: database.pool, ...retention, intervalMs: 50 });
    try {
      await expect.poll(keys, { timeout: 2_000 }).toEqual([]);
      await charge('periodic-later', chargeBody());
      await age('periodic-later', 25);
      await expect.poll(keys, { timeout: 2_000 }).toEqual([]);
    } finally {
      await purger.stop();
    }
    await charge('after-stop', chargeBody());
    await age('after-stop', 25);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await keys()).toEqual(['after-stop']);
  });
});
