import { randomUUID } from 'node:crypto';
import { isAppError } from '@harness/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Charge } from '../src/charges/Charge.ts';
import { createCharge } from '../src/charges/createCharge.ts';
import { createSimulatedPsp } from '../src/psp/simulatedPsp.ts';
import { createRefund, type RefundDeps } from '../src/refunds/createRefund.ts';
import type { Refund } from '../src/refunds/Refund.ts';
import { paymentDatabase, type PaymentDatabase } from './support/paymentDatabase.ts';

let database: PaymentDatabase;
let deps: RefundDeps;

beforeAll(async () => {
  database = await paymentDatabase();
  deps = {
    db: database.pool,
    inTransaction: database.inTransaction,
    idempotency: { claimTtlMs: 10_000, conflictRetryAfterSeconds: 1 },
  };
});
afterAll(async () => {
  await database?.close();
});

const newKey = () => `refund-${randomUUID()}`;

async function newCharge(amountCents: number): Promise<Charge> {
  const chargeDeps = { db: deps.db, psp: createSimulatedPsp({ slowDelayMs: 0 }), idempotency: deps.idempotency };
  const orderId = randomUUID();
  const response = await createCharge(chargeDeps, `charge-${orderId}`, {
    orderId,
    amountCents,
    currency: 'EUR',
    token: 'tok_approve',
  });
  return response.body as Charge;
}

async function refundedCents(chargeId: string): Promise<{ refunded: number; refunds: number }> {
  const { rows } = await deps.db.query<{ refunded: number; refunds: string }>(
    'SELECT c.refunded_cents AS refunded, (SELECT count(*) FROM refunds r WHERE r.charge_id = c.id) AS refunds FROM charges c WHERE c.id = $1',
    [chargeId],
  );
  return { refunded: rows[0]!.refunded, refunds: Number(rows[0]!.refunds) };
}

describe('createRefund', () => {
  it('refunds the whole remaining amount when no amount is given', async () => {
    const charge = await newCharge(7248);
    const response = await createRefund(deps, charge.id, newKey(), { reason: 'order cancelled' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ chargeId: charge.id, amountCents: 7248, reason: 'order cancelled' });
    expect((response.body as Refund).id).toMatch(/^re_[A-Za-z0-9]{8,64}$/);
    expect(await refundedCents(charge.id)).toEqual({ refunded: 7248, refunds: 1 });
  });

  it('adds partial refunds up and refuses one that exceeds what remains', async () => {
    const charge = await newCharge(1000);
    expect((await createRefund(deps, charge.id, newKey(), { amountCents: 600 })).status).toBe(201);
    const exceeding = await createRefund(deps, charge.id, newKey(), { amountCents: 401 });
    expect(exceeding.status).toBe(422);
    expect(exceeding.body).toMatchObject({ code: 'REFUND_EXCEEDS_CHARGE', detail: '400 cents remain to refund.' });
    const rest = await createRefund(deps, charge.id, newKey(), {});
    expect(rest.body).toMatchObject({ amountCents: 400 });
    const nothingLeft = await createRefund(deps, charge.id, newKey(), {});
    expect(nothingLeft.body).toMatchObject({ code: 'REFUND_EXCEEDS_CHARGE', detail: '0 cents remain to refund.' });
    expect(await refundedCents(charge.id)).toEqual({ refunded: 1000, refunds: 2 });
  });

  it('replays the refund for the same key and refunds only once', async () => {
    const charge = await newCharge(500);
    const key = newKey();
    const first = await createRefund(deps, charge.id, key, { amountCents: 100 });
    const again = await createRefund(deps, charge.id, key, { amountCents: 100 });
    expect(again).toEqual({ ...first, replayed: true });
    expect(await refundedCents(charge.id)).toEqual({ refunded: 100, refunds: 1 });
  });

  it('refuses the same key for another charge or amount', async () => {
    const charge = await newCharge(500);
    const key = newKey();
    await createRefund(deps, charge.id, key, { amountCents: 100 });
    const reused = createRefund(deps, charge.id, key, { amountCents: 200 });
    await expect(reused).rejects.toSatisfy((error) => isAppError(error) && error.code === 'IDEMPOTENCY_KEY_REUSED');
  });

  it('answers 404 for an unknown charge', async () => {
    const response = await createRefund(deps, 'ch_doesNotExist1', newKey(), {});
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'CHARGE_NOT_FOUND' });
  });

  it('never refunds more than the charge when refunds race with different keys', async () => {
    const charge = await newCharge(1000);
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => createRefund(deps, charge.id, newKey(), { amountCents: 300 })),
    );
    expect(responses.filter((r) => r.status === 201)).toHaveLength(3);
    expect(responses.filter((r) => r.status === 422)).toHaveLength(9);
    expect(await refundedCents(charge.id)).toEqual({ refunded: 900, refunds: 3 });
  });
});
