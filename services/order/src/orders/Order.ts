import type { CancellationReason, LineItem, OrderComponents, OrderItem } from '@harness/contracts';

export type { CancellationReason, LineItem, OrderItem };

export type OrderStatus = OrderComponents['schemas']['OrderStatus'];

/**
 * Where a saga stands. Each value is persisted before the next remote call, so a crash at any
 * point leaves a row the recovery worker knows how to resume or compensate:
 * - CREATED: persisted, stock not reserved yet (reserving again is safe: idempotent by order id).
 * - CHARGING: stock reserved, the charge is about to be (or is being) made.
 * - CHARGE_UNKNOWN: a charge attempt timed out or is still in flight at payment; only retrying
 *   it with the same Idempotency-Key tells whether it happened.
 * - CONFIRMED / CANCELLED: terminal, nothing left to do.
 * - CHARGE_AUDIT: cancelled while a charge may have happened; the worker checks payment for a
 *   charge of this order and refunds it.
 * - REFUNDED: cancelled, and the charge the audit found was refunded.
 */
export type SagaStep =
  'CREATED' | 'CHARGING' | 'CHARGE_UNKNOWN' | 'CONFIRMED' | 'CANCELLED' | 'CHARGE_AUDIT' | 'REFUNDED';

/** What the first answer of a cancelled order said, so a replay can say it again. */
export interface CancellationDetail {
  detail?: string;
  productId?: string;
  retryAfterSeconds?: number;
}

/** One row of the `orders` table. */
export interface OrderRecord {
  id: string;
  idempotencyKey: string;
  requestHash: string;
  /** The API key id the gateway placed the order for (X-Owner-Id); null when placed without one. */
  ownerId: string | null;
  status: OrderStatus;
  sagaStep: SagaStep;
  items: OrderItem[];
  totalCents: number;
  currency: string;
  cancellationReason: CancellationReason | null;
  cancellationDetail: CancellationDetail | null;
  /** Kept only while a charge may still be needed; cleared when the order is terminal. */
  paymentToken: string | null;
  chargeId: string | null;
  attempts: number;
  nextAttemptAt: Date | null;
  /** While in the future, a runner (request or worker) is running the saga. */
  leaseExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A new order as the request handler hands it to the store. */
export interface NewOrder {
  id: string;
  idempotencyKey: string;
  requestHash: string;
  ownerId: string | null;
  items: OrderItem[];
  totalCents: number;
  currency: string;
  paymentToken: string;
}

/** The line items of an order without prices: what inventory reserves and OrderCancelled carries. */
export function lineItemsOf(order: Pick<OrderRecord, 'items'>): LineItem[] {
  return order.items.map(({ productId, quantity }) => ({ productId, quantity }));
}

export function isTerminal(status: OrderStatus): boolean {
  return status !== 'PENDING';
}
