import { AppError, type OperationHandler } from '@harness/kit';
import type { GatewayOperations } from '@harness/contracts';
import { principalOf } from '../auth/apiKeyGuard.ts';
import { roundLag } from '../orders/orderViewParts.ts';
import { cursorOf, positionOf, type OrderHistoryStore } from './orderHistoryStore.ts';
import type { ReadModelLag } from './readModelLag.ts';

/** The order history read model as the handlers use it: its reads and its freshness. */
export interface OrderHistory {
  store: OrderHistoryStore;
  lag: ReadModelLag;
}

type ListOrderHistory = OperationHandler<GatewayOperations['listOrderHistory']>;

/** `GET /api/v1/orders`: the caller's orders from the read model, newest first, with its freshness. */
export function orderHistoryHandler(history: OrderHistory | undefined): ListOrderHistory {
  return async ({ query, request }) => {
    if (!history) {
      throw new AppError('DEPENDENCY_UNAVAILABLE', {
        detail: 'This gateway runs without the order history (no DATABASE_URL or broker address).',
        retryAfterSeconds: 60,
      });
    }
    const owner = principalOf(request)?.keyId;
    if (owner === undefined) throw new AppError('UNAUTHENTICATED');
    const limit = query.limit ?? 20;
    const items = await history.store.listByOwner(owner, {
      limit,
      ...(query.after === undefined ? {} : { after: positionOf(query.after) }),
    });
    const last = items.at(-1);
    return {
      status: 200,
      body: {
        items,
        lagSeconds: roundLag(history.lag.lagSeconds()),
        stale: history.lag.stale(),
        ...(items.length === limit && last !== undefined
          ? { next: cursorOf({ createdAt: last.createdAt, orderId: last.id }) }
          : {}),
      },
    };
  };
}
