import { AppError, requestFingerprint, toProblem } from '@harness/kit';
import { completeIdempotencyKey } from '../idempotency/idempotencyStore.ts';
import { runIdempotently, type IdempotencySettings, type IdempotentResponse } from '../idempotency/runIdempotently.ts';
import { newId } from '../ids.ts';
import type { PspDecision, SimulatedPsp } from '../psp/simulatedPsp.ts';
import type { Queryable } from '@harness/kit';
import type { Charge, ChargeRequest } from './Charge.ts';
import { recordSucceededCharge } from './chargeStore.ts';

export interface ChargeDeps {
  db: Queryable;
  psp: SimulatedPsp;
  idempotency: IdempotencySettings;
  /** Aborted when the service shuts down, so a slow authorisation does not hold it up. */
  shutdownSignal?: AbortSignal;
}

/**
 * Charges a payment token at most once per Idempotency-Key. An approved charge answers 201 with
 * the charge, a declined one 402 PAYMENT_DECLINED; both are stored and replayed for the same key.
 */
export async function createCharge(deps: ChargeDeps, key: string, request: ChargeRequest): Promise<IdempotentResponse> {
  const fingerprint = requestFingerprint('createCharge', {}, request);
  return runIdempotently(deps.db, { key, fingerprint }, deps.idempotency, async (lockToken, storedKey) => {
    const decision = await authorize(deps, request.token);
    if (decision.kind === 'declined') {
      const response = {
        status: 402,
        body: toProblem(new AppError('PAYMENT_DECLINED', { detail: decision.detail }), '/charges'),
      };
      const stored = await completeIdempotencyKey(deps.db, storedKey, lockToken, response);
      return stored ? { kind: 'stored', response } : { kind: 'lost' };
    }
    const charge: Charge = {
      id: newId('ch'),
      orderId: request.orderId,
      amountCents: request.amountCents,
      currency: request.currency,
      status: 'SUCCEEDED',
      createdAt: new Date().toISOString(),
    };
    const stored = await recordSucceededCharge(deps.db, storedKey, lockToken, charge);
    return stored ? { kind: 'stored', response: { status: 201, body: charge } } : { kind: 'lost' };
  });
}

async function authorize(deps: ChargeDeps, token: string): Promise<PspDecision> {
  try {
    return await deps.psp.authorize(token, deps.shutdownSignal);
  } catch (error) {
    if (deps.shutdownSignal?.aborted !== true) throw error;
    throw new AppError('DEPENDENCY_UNAVAILABLE', {
      detail: 'The payment service is shutting down; retry the charge with the same Idempotency-Key.',
      retryAfterSeconds: 1,
      cause: error,
    });
  }
}
