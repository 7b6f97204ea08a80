import type { Queryable } from '@harness/kit';

// One batch: completed keys older than the window, and claims that expired before it began
// (their holder crashed a whole window ago and nobody retried). A live claim is never touched.
// The outer WHERE repeats the test, so a row changed between the two is judged as it is now.
const EXPIRED = `((state = 'COMPLETED' AND completed_at < now() - $1 * interval '1 millisecond')
   OR (state = 'IN_FLIGHT' AND locked_until < now() - $1 * interval '1 millisecond'))`;
const PURGE_BATCH_SQL = `
DELETE FROM idempotency_keys
WHERE key IN (SELECT key FROM idempotency_keys WHERE ${EXPIRED} LIMIT $2 FOR UPDATE SKIP LOCKED)
  AND ${EXPIRED}
RETURNING key`;

export interface PurgeOptions {
  /** How long a key's record is kept after it completed (or its claim expired). */
  retentionMs: number;
  /** Keys deleted per statement, so that one purge never holds many row locks at once. */
  batchSize: number;
}

/**
 * Deletes the Idempotency-Key records that have outlived the retention window, batch after
 * batch until none is left; returns how many went. Charges and refunds are not touched, and a
 * key sent again afterwards is claimed as a new one.
 */
export async function purgeIdempotencyKeys(db: Queryable, options: PurgeOptions): Promise<number> {
  let purged = 0;
  for (;;) {
    const { rows } = await db.query<{ key: string }>({
      name: 'purge-idempotency-keys',
      text: PURGE_BATCH_SQL,
      values: [options.retentionMs, options.batchSize],
    });
    purged += rows.length;
    if (rows.length < options.batchSize) return purged;
  }
}
