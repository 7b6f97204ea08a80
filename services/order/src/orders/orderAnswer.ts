import { AppError } from '@harness/kit';
import type { OrderComponents } from '@harness/contracts';
import type { OrderRecord } from './Order.ts';
import { orderLocation, toOrderBody, type OrderBody } from './orderView.ts';

type OrderAccepted = OrderComponents['schemas']['OrderAccepted'];

/** A successful answer of POST /orders; cancelled orders answer with an AppError instead. */
export type PlaceOrderAnswer =
  | { status: 201; headers: Record<string, string>; body: OrderBody }
  | { status: 202; headers: Record<string, string>; body: OrderAccepted };

/** Seconds a client should wait before retrying when a dependency was unavailable. */
const DEFAULT_RETRY_AFTER_SECONDS = 2;
/** Seconds a client should wait before polling an order still being settled. */
export const POLL_AFTER_SECONDS = 1;

/**
 * The answer POST /orders gives for an order in its current state, the first time and on every
 * replay of the same Idempotency-Key: 201 confirmed, 202 still settling, or the problem of the
 * cancellation (409 out of stock, 402 declined, 503 + Retry-After for the rest).
 */
export function answerForOrder(order: OrderRecord, options: { replayed: boolean }): PlaceOrderAnswer {
  const location = orderLocation(order.id);
  if (order.status === 'CONFIRMED') {
    const headers: Record<string, string> = { location };
    if (options.replayed) headers['idempotent-replayed'] = 'true';
    return { status: 201, headers, body: toOrderBody(order) };
  }
  if (order.status === 'PENDING') {
    return {
      status: 202,
      headers: { location, 'retry-after': String(POLL_AFTER_SECONDS) },
      body: { orderId: order.id, status: 'PENDING', statusUrl: location },
    };
  }
  throw cancellationProblem(order);
}

function cancellationProblem(order: OrderRecord): AppError {
  const detail = order.cancellationDetail ?? {};
  const extensions: Record<string, unknown> = { orderId: order.id };
  const withDetail = detail.detail === undefined ? {} : { detail: detail.detail };
  switch (order.cancellationReason) {
    case 'OUT_OF_STOCK':
      if (detail.productId !== undefined) extensions.productId = detail.productId;
      return new AppError('OUT_OF_STOCK', { ...withDetail, extensions });
    case 'PAYMENT_DECLINED':
      return new AppError('PAYMENT_DECLINED', { ...withDetail, extensions });
    case 'INVENTORY_UNAVAILABLE':
    case 'PAYMENT_UNAVAILABLE':
    case 'TIMEOUT':
    case null:
    default: // a reason this version does not know (a row written by a newer one)
      return new AppError('DEPENDENCY_UNAVAILABLE', {
        detail: detail.detail ?? `order cancelled (${order.cancellationReason ?? 'unknown reason'})`,
        retryAfterSeconds: detail.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
        extensions: { ...extensions, cancellationReason: order.cancellationReason },
      });
  }
}
