import { randomUUID } from 'node:crypto';
import type { Queryable } from '@harness/kit';

/** A response kept for replay: its status and JSON body. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

export type KeyClaim =
  /** This request holds the key and must complete (or abandon) it with its lock token. */
  | { kind: 'claimed'; lockToken: string }
  /** The key completed earlier with the same request: replay its response. */
  | { kind: 'completed'; response: StoredResponse }
  /** The key's first request is still running. */
  | { kind: 'in-flight' }
  /** The key was used with a different request. */
  | { kind: 'reused' };

interface KeyRow {
  fingerprint: string;
  state: 'IN_FLIGHT' | 'COMPLETED';
  response_status: number | null;
  response_body: unknown;
}

// A new key is claimed; an IN_FLIGHT key whose claim expired (its holder crashed) is taken over
// by a request with the same fingerprint. Anything else leaves the row as it is.
const CLAIM_SQL = `
INSERT INTO idempotency_keys AS k (key, fingerprint, state, lock_token, locked_until)
VALUES ($1, $2, 'IN_FLIGHT', $3, now() + $4 * interval '1 millisecond')
ON CONFLICT (key) DO UPDATE SET lock_token = EXCLUDED.lock_token, locked_until = EXCLUDED.locked_until
  WHERE k.state = 'IN_FLIGHT' AND k.locked_until < now() AND k.fingerprint = EXCLUDED.fingerprint
RETURNING k.lock_token`;

const READ_SQL = 'SELECT fingerprint, state, response_status, response_body FROM idempotency_keys WHERE key = $1';

/** Completes the key if this holder still holds it; usable as a CTE (`RETURNING key`). */
export const COMPLETE_KEY_SQL = `
UPDATE idempotency_keys
SET state = 'COMPLETED', response_status = $3, response_body = $4, completed_at = now(),
    lock_token = NULL, locked_until = NULL
WHERE key = $1 AND lock_token = $2 AND state = 'IN_FLIGHT'
RETURNING key`;

const ABANDON_SQL = "DELETE FROM idempotency_keys WHERE key = $1 AND lock_token = $2 AND state = 'IN_FLIGHT'";

/**
 * Claims a key for this request with `lockToken` (a fresh random token), or says why it cannot.
 * The caller chooses the token so that it can abandon the claim even when this call failed after
 * the database applied it (the answer was lost).
 */
export async function claimIdempotencyKey(
  db: Queryable,
  key: string,
  fingerprint: string,
  claimTtlMs: number,
  lockToken: string = randomUUID(),
): Promise<KeyClaim> {
  const claimed = await db.query<{ lock_token: string }>({
    name: 'claim-idempotency-key',
    text: CLAIM_SQL,
    values: [key, fingerprint, lockToken, claimTtlMs],
  });
  if (claimed.rows.length > 0) return { kind: 'claimed', lockToken };
  const { rows } = await db.query<KeyRow>({ name: 'read-idempotency-key', text: READ_SQL, values: [key] });
  const row = rows[0];
  // Gone between the two statements: its holder abandoned it just now; the client may retry.
  if (row === undefined) return { kind: 'in-flight' };
  if (row.fingerprint !== fingerprint) return { kind: 'reused' };
  if (row.state === 'IN_FLIGHT' || row.response_status === null) return { kind: 'in-flight' };
  return { kind: 'completed', response: { status: row.response_status, body: row.response_body } };
}

/** Stores the response of a claimed key. False when the claim was lost (expired and taken over). */
export async function completeIdempotencyKey(
  db: Queryable,
  key: string,
  lockToken: string,
  response: StoredResponse,
): Promise<boolean> {
  const { rows } = await db.query<{ key: string }>({
    name: 'complete-idempotency-key',
    text: COMPLETE_KEY_SQL,
    values: [key, lockToken, response.status, JSON.stringify(response.body)],
  });
  return rows.length > 0;
}

/** Frees a claimed key after a failure, so that a retry of the request can run it again. */
export async function abandonIdempotencyKey(db: Queryable, key: string, lockToken: string): Promise<void> {
  await db.query({ name: 'abandon-idempotency-key', text: ABANDON_SQL, values: [key, lockToken] });
}
