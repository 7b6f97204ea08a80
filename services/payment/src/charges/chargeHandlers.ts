import type { PaymentOperations } from '@harness/contracts';
import { respond, type OperationHandler, type OperationResponse } from '@harness/kit';
import { replayableResponse } from '../idempotency/replayableResponse.ts';
import { listChargesOfOrder } from './chargeStore.ts';
import { createCharge, type ChargeDeps } from './createCharge.ts';

export interface ChargeHandlers {
  createCharge: OperationHandler<PaymentOperations['createCharge']>;
  listCharges: OperationHandler<PaymentOperations['listCharges']>;
}

export function chargeHandlers(deps: ChargeDeps): ChargeHandlers {
  return {
    createCharge: async ({ headers, body }) =>
      replayableResponse(await createCharge(deps, headers['Idempotency-Key'], body)) as OperationResponse<
        PaymentOperations['createCharge']
      >,
    listCharges: async ({ query }) => respond(200, { items: await listChargesOfOrder(deps.db, query.orderId) }),
  };
}
