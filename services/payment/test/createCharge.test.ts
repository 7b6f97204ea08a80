import { randomUUID } from 'node:crypto';
import { isAppError } from '@harness/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChargeRequest } from '../src/charges/Charge.ts';
import { listChargesOfOrder, recordSucceededCharge } from '../src/charges/chargeStore.ts';
import { createCharge, type ChargeDeps } from '../src/charges/createCharge.ts';
import { claimIdempotencyKey } from '../src/idempotency/idempotencyStore.ts';
import { createSimulatedPsp, type SimulatedPsp } from '../src/psp/simulatedPsp.ts';
import { paymentDatabase, type PaymentDatabase } from './support/paymentDatabase.ts';

let database: PaymentDatabase;
let deps: ChargeDeps;

beforeAll(async () => {
  database = await paymentDatabase();
  deps = {
    db: database.pool,
    psp: createSimulatedPsp({ slowDelayMs: 300 }),
    idempotency: { claimTtlMs: 10_000, conflictRetryAfterSeconds: 1 },
  };
});
afterAll(async () => {
  await database?.close();
});

const chargeRequest = (overrides: Partial<ChargeRequest> = {}): ChargeRequest => ({
  orderId: randomUUID(),
  amountCents: 7248,
  currency: 'EUR',
  token: 'tok_approve',
  ...overrides,
});
const newKey = () => `charge-${randomUUID()}`;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
  return 'no error';
}

describe('createCharge', () => {
  it('charges an approving token once and answers 201 with the charge', async () => {
    const request = chargeRequest();
    const response = await createCharge(deps, newKey(), request);
    expect(response.status).toBe(201);
    expect(response.replayed).toBe(false);
    expect(response.body).toMatchObject({
      orderId: request.orderId,
      amountCents: 7248,
      currency: 'EUR',
      status: 'SUCCEEDED',
    });
    expect(await listChargesOfOrder(deps.db, request.orderId)).toEqual([response.body]);
  });

  it('replays the stored response when the same key is sent twice with the same body', async () => {
    const key = newKey();
    const request = chargeRequest();
    const first = await createCharge(deps, key, request);
    const second = await createCharge(deps, key, { ...request });
    expect(second).toEqual({ ...first, replayed: true });
    expect(await listChargesOfOrder(deps.db, request.orderId)).toHaveLength(1);
  });

  it('refuses the same key with a different body and charges nothing more', async () => {
    const key = newKey();
    const request = chargeRequest();
    await createCharge(deps, key, request);
    expect(await codeOf(createCharge(deps, key, { ...request, amountCents: 1 }))).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await listChargesOfOrder(deps.db, request.orderId)).toHaveLength(1);
  });

  it('stores a decline as 402 and replays it without charging', async () => {
    const key = newKey();
    const request = chargeRequest({ token: 'tok_decline' });
    const first = await createCharge(deps, key, request);
    expect(first.status).toBe(402);
    expect(first.body).toMatchObject({ code: 'PAYMENT_DECLINED', status: 402 });
    const replay = await createCharge(deps, key, request);
    expect(replay).toEqual({ ...first, replayed: true });
    expect(await listChargesOfOrder(deps.db, request.orderId)).toEqual([]);
  });

  it('answers 409 to a duplicate sent while the first is in flight, then replays its result', async () => {
    const key = newKey();
    const request = chargeRequest({ token: 'tok_slow' });
    const first = createCharge(deps, key, request);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await codeOf(createCharge(deps, key, request))).toBe('IDEMPOTENCY_CONFLICT');
    const settled = await first;
    expect(settled.status).toBe(201);
    expect(await createCharge(deps, key, request)).toEqual({ ...settled, replayed: true });
  });

  it('charges at most once when many requests race on one key', async () => {
    const key = newKey();
    const request = chargeRequest();
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => createCharge(deps, key, request)));
    const created = results.filter((r) => r.status === 'fulfilled' && r.value.status === 201 && !r.value.replayed);
    expect(created).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected')
        expect(isAppError(result.reason) && result.reason.code).toBe('IDEMPOTENCY_CONFLICT');
    }
    expect(await listChargesOfOrder(deps.db, request.orderId)).toHaveLength(1);
  });

  it('frees the key when the charge fails unexpectedly, so a retry charges', async () => {
    const key = newKey();
    const request = chargeRequest();
    const failingPsp: SimulatedPsp = {
      authorize: async () => {
        throw new Error('provider connection reset');
      },
    };
    await expect(createCharge({ ...deps, psp: failingPsp }, key, request)).rejects.toThrow('provider connection reset');
    const retry = await createCharge(deps, key, request);
    expect(retry.status).toBe(201);
    expect(retry.replayed).toBe(false);
  });

  it('gives up a slow charge at shutdown with DEPENDENCY_UNAVAILABLE and frees its key', async () => {
    const key = newKey();
    const request = chargeRequest({ token: 'tok_slow' });
    const shutdown = new AbortController();
    const pending = createCharge({ ...deps, shutdownSignal: shutdown.signal }, key, request);
    await new Promise((resolve) => setTimeout(resolve, 50));
    shutdown.abort();
    expect(await codeOf(pending)).toBe('DEPENDENCY_UNAVAILABLE');
    const retry = await createCharge(deps, key, request);
    expect(retry.status).toBe(201);
    expect(await listChargesOfOrder(deps.db, request.orderId)).toHaveLength(1);
  });

  it('lets a request take over a key whose holder crashed once its claim expired', async () => {
    const key = newKey();
    const request = chargeRequest();
    const { requestFingerprint } = await import('@harness/kit');
    const crashed = await claimIdempotencyKey(deps.db, key, requestFingerprint('createCharge', {}, request), 1);
    expect(crashed.kind).toBe('claimed');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const response = await createCharge(deps, key, request);
    expect(response.status).toBe(201);
  });

  it('writes nothing for a holder whose claim was taken over', async () => {
    const key = newKey();
    const request = chargeRequest();
    const stale = await claimIdempotencyKey(deps.db, key, 'fingerprint', 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const current = await claimIdempotencyKey(deps.db, key, 'fingerprint', 10_000);
    if (stale.kind !== 'claimed' || current.kind !== 'claimed') throw new Error('expected two claims');
    const charge = {
      id: 'ch_staleHolder1',
      orderId: request.orderId,
      amountCents: 1,
      currency: 'EUR',
      status: 'SUCCEEDED' as const,
      createdAt: new Date().toISOString(),
    };
    expect(await recordSucceededCharge(deps.db, key, stale.lockToken, charge)).toBe(false);
    expect(await listChargesOfOrder(deps.db, request.orderId)).toEqual([]);
  });
});
