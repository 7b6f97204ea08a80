import type { InventoryOperations } from '@harness/contracts';
import { respond, type OperationHandler } from '@harness/kit';
import type { Queryable } from '@harness/kit';
import { getReservationOfOrder, releaseStockOfOrder, reserveStockForOrder } from './reservationOperations.ts';

export interface ReservationHandlers {
  reserveStock: OperationHandler<InventoryOperations['reserveStock']>;
  getReservation: OperationHandler<InventoryOperations['getReservation']>;
  releaseStock: OperationHandler<InventoryOperations['releaseStock']>;
}

export function reservationHandlers(db: Queryable): ReservationHandlers {
  return {
    reserveStock: async ({ params, body }) => respond(200, await reserveStockForOrder(db, params.orderId, body.items)),
    getReservation: async ({ params }) => respond(200, await getReservationOfOrder(db, params.orderId)),
    releaseStock: async ({ params }) => respond(200, await releaseStockOfOrder(db, params.orderId)),
  };
}
