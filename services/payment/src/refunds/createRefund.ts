import { AppError, requestFingerprint, toProblem } from '@harness/kit';
import { completeIdempotencyKey, type StoredResponse } from '../idempotency/idempotencyStore.ts';
import {
  runIdempotently,
  type ExecutionResult,
  type IdempotencySettings,
  type IdempotentResponse,
} from '../idempotency/runIdempotently.ts';
import { newId } from '../ids.ts';
import type { Queryable } from '@harness/kit';
import type { Refund, RefundRequest } from './Refund.ts';
import { insertRefund, lockChargeForRefund } from './refundStore.ts';

/** Runs work in one database transaction (committed when it resolves, rolled back when it throws). */
export type InTransaction = <T>(work: (tx: Queryable) => Promise<T>) => Promise<T>;

export interface RefundDeps {
  db: Queryable;
  inTransaction: InTransaction;
  idempotency: IdempotencySettings;
}

class ClaimLost extends Error {}

/**
 * Refunds a charge at most once per Idempotency-Key: without `amountCents` the remaining amount
 * is refunded. Answers 201 with the refund, 404 CHARGE_NOT_FOUND, or 422 REFUND_EXCEEDS_CHARGE;
 * each is stored and replayed for the same key.
 */
export async function createRefund(
  deps: RefundDeps,
  chargeId: string,
  key: string,
  request: RefundRequest,
): Promise<IdempotentResponse> {
  const fingerprint = requestFingerprint('createRefund', { chargeId }, request);
  const instance = `/charges/${chargeId}/refunds`;
  return runIdempotently(deps.db, { key, fingerprint }, deps.idempotency, async (lockToken, storedKey) => {
    try {
      return await deps.inTransaction(async (tx): Promise<ExecutionResult> => {
        const complete = async (response: StoredResponse): Promise<ExecutionResult> => {
          if (!(await completeIdempotencyKey(tx, storedKey, lockToken, response))) throw new ClaimLost();
          return { kind: 'stored', response };
        };
        const charge = await lockChargeForRefund(tx, chargeId);
        if (charge === undefined) {
          return complete(
            problemResponse(new AppError('CHARGE_NOT_FOUND', { detail: `No charge ${chargeId}.` }), instance),
          );
        }
        const remaining = charge.amountCents - charge.refundedCents;
        const amountCents = request.amountCents ?? remaining;
        if (amountCents <= 0 || amountCents > remaining) {
          const detail = `${remaining} cents remain to refund.`;
          return complete(problemResponse(new AppError('REFUND_EXCEEDS_CHARGE', { detail }), instance));
        }
        const refund: Refund = {
          id: newId('re'),
          chargeId,
          amountCents,
          ...(request.reason === undefined ? {} : { reason: request.reason }),
          createdAt: new Date().toISOString(),
        };
        await insertRefund(tx, storedKey, refund);
        return complete({ status: 201, body: refund });
      });
    } catch (error) {
      if (error instanceof ClaimLost) return { kind: 'lost' };
      throw error;
    }
  });
}

function problemResponse(error: AppError, instance: string): StoredResponse {
  return { status: error.status, body: toProblem(error, instance) };
}
