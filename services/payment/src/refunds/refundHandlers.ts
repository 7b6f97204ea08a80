import type { PaymentOperations } from '@harness/contracts';
import type { OperationHandler, OperationResponse } from '@harness/kit';
import { replayableResponse } from '../idempotency/replayableResponse.ts';
import { createRefund, type RefundDeps } from './createRefund.ts';

export interface RefundHandlers {
  createRefund: OperationHandler<PaymentOperations['createRefund']>;
}

export function refundHandlers(deps: RefundDeps): RefundHandlers {
  return {
    createRefund: async ({ params, headers, body }) =>
      replayableResponse(
        await createRefund(deps, params.chargeId, headers['Idempotency-Key'], body),
      ) as OperationResponse<PaymentOperations['createRefund']>,
  };
}
