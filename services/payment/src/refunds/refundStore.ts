import type { Queryable } from '@harness/kit';
import type { Refund } from './Refund.ts';

export interface RefundableCharge {
  amountCents: number;
  refundedCents: number;
}

/** Reads a charge and locks it until the end of the transaction (refunds of one charge queue up). */
export async function lockChargeForRefund(tx: Queryable, chargeId: string): Promise<RefundableCharge | undefined> {
  const { rows } = await tx.query<{ amount_cents: number; refunded_cents: number }>({
    name: 'lock-charge-for-refund',
    text: 'SELECT amount_cents, refunded_cents FROM charges WHERE id = $1 FOR UPDATE',
    values: [chargeId],
  });
  const row = rows[0];
  return row === undefined ? undefined : { amountCents: row.amount_cents, refundedCents: row.refunded_cents };
}

export async function insertRefund(tx: Queryable, key: string, refund: Refund): Promise<void> {
  await tx.query({
    name: 'insert-refund',
    text: `INSERT INTO refunds (id, charge_id, amount_cents, reason, idempotency_key, created_at)
           VALUES ($1, $2, $3, $4, $5, $6)`,
    values: [refund.id, refund.chargeId, refund.amountCents, refund.reason ?? null, key, refund.createdAt],
  });
  await tx.query({
    name: 'add-refunded-amount',
    text: 'UPDATE charges SET refunded_cents = refunded_cents + $2 WHERE id = $1',
    values: [refund.chargeId, refund.amountCents],
  });
}
