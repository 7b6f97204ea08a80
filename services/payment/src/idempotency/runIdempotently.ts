import { AppError, mutantActive } from '@harness/kit';
import type { Queryable } from '@harness/kit';
import { randomUUID } from 'node:crypto';
import { abandonIdempotencyKey, claimIdempotencyKey, type KeyClaim, type StoredResponse } from './idempotencyStore.ts';

export interface IdempotentRequest {
  key: string;
  fingerprint: string;
}

export interface IdempotencySettings {
  /** How long a claim protects an in-flight request before another may take it over. */
  claimTtlMs: number;
  /** Retry-After (seconds) suggested to a concurrent duplicate. */
  conflictRetryAfterSeconds: number;
}

/** The response to send, and whether it replays a stored one. */
export interface IdempotentResponse extends StoredResponse {
  replayed: boolean;
}

/**
 * What the operation reports: the response it stored together with its effect, or `lost` when its
 * claim expired and another request took the key over (nothing was written).
 */
export type ExecutionResult = { kind: 'stored'; response: StoredResponse } | { kind: 'lost' };

/**
 * Runs a keyed operation at most once per Idempotency-Key: a new key runs `execute`, which must
 * store its response atomically with its effect (holding `lockToken`, under `key`, the key as
 * stored); the same key and request replays that response; a different request answers 422, a
 * concurrent duplicate 409. When `execute` throws, the key is freed so that a retry can run it again.
 */
export async function runIdempotently(
  db: Queryable,
  received: IdempotentRequest,
  settings: IdempotencySettings,
  execute: (lockToken: string, key: string) => Promise<ExecutionResult>,
): Promise<IdempotentResponse> {
  const lockToken = randomUUID();
  // Mutant idempotency-store-bypassed (harness mutate only): every request is stored under a key
  // of its own, so the store never finds the earlier one and a retry runs the operation again.
  const request = mutantActive('idempotency-store-bypassed')
    ? { ...received, key: `${received.key}#mutant:${lockToken}` }
    : received;
  const abandon = () => abandonIdempotencyKey(db, request.key, lockToken).catch(() => undefined);
  let claim: KeyClaim;
  try {
    claim = await claimIdempotencyKey(db, request.key, request.fingerprint, settings.claimTtlMs, lockToken);
  } catch (error) {
    // The claim may have been applied with its answer lost: free it so a retry is not refused.
    await abandon();
    throw error;
  }
  switch (claim.kind) {
    case 'completed':
      return { ...claim.response, replayed: true };
    case 'reused':
      throw new AppError('IDEMPOTENCY_KEY_REUSED', {
        detail: 'This Idempotency-Key was already used with a different request.',
      });
    case 'in-flight':
      throw inFlight(settings);
    case 'claimed':
      break;
  }
  let result: ExecutionResult;
  try {
    result = await execute(lockToken, request.key);
  } catch (error) {
    await abandon();
    throw error;
  }
  if (result.kind === 'lost') throw inFlight(settings);
  return { ...result.response, replayed: false };
}

function inFlight(settings: IdempotencySettings): AppError {
  return new AppError('IDEMPOTENCY_CONFLICT', {
    detail: 'A request with this Idempotency-Key is still in flight; retry later.',
    retryAfterSeconds: settings.conflictRetryAfterSeconds,
  });
}
