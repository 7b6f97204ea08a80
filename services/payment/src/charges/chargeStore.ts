import { COMPLETE_KEY_SQL } from '../idempotency/idempotencyStore.ts';
import type { Queryable } from '@harness/kit';
import type { Charge } from './Charge.ts';

interface ChargeRow {
  id: string;
  order_id: string;
  amount_cents: number;
  currency: string;
  created_at: Date;
}

// One statement: the charge exists exactly when its key completed with it as the stored response,
// and only while this holder still holds the key.
const RECORD_SQL = `
WITH completed AS (${COMPLETE_KEY_SQL})
INSERT INTO charges (id, order_id, amount_cents, currency, status, idempotency_key, created_at)
SELECT $5, $6, $7, $8, 'SUCCEEDED', completed.key, $9 FROM completed
RETURNING id`;

const LIST_SQL = `SELECT id, order_id, amount_cents, currency, created_at FROM charges
WHERE order_id = $1 ORDER BY created_at, id`;

/** Stores a succeeded charge and completes its key with it. False when the claim was lost. */
export async function recordSucceededCharge(
  db: Queryable,
  key: string,
  lockToken: string,
  charge: Charge,
): Promise<boolean> {
  const { rows } = await db.query<{ id: string }>({
    name: 'record-succeeded-charge',
    text: RECORD_SQL,
    values: [
      key,
      lockToken,
      201,
      JSON.stringify(charge),
      charge.id,
      charge.orderId,
      charge.amountCents,
      charge.currency,
      charge.createdAt,
    ],
  });
  return rows.length > 0;
}

export async function listChargesOfOrder(db: Queryable, orderId: string): Promise<Charge[]> {
  const { rows } = await db.query<ChargeRow>({ name: 'list-charges-of-order', text: LIST_SQL, values: [orderId] });
  return rows.map((row) => ({
    id: row.id,
    orderId: row.order_id,
    amountCents: row.amount_cents,
    currency: row.currency,
    status: 'SUCCEEDED',
    createdAt: row.created_at.toISOString(),
  }));
}
