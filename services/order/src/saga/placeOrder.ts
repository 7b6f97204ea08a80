import { randomUUID } from 'node:crypto';
import type { OrderComponents } from '@harness/contracts';
import { AppError, requestFingerprint, type Logger } from '@harness/kit';
import type { ProductCatalog } from '../catalog/productCatalog.ts';
import type { OrderRecord } from '../orders/Order.ts';
import { answerForOrder, POLL_AFTER_SECONDS, type PlaceOrderAnswer } from '../orders/orderAnswer.ts';
import type { OrderStore, SagaLease } from '../orders/orderStore.ts';
import type { SagaRun, SagaRunner } from './sagaRunner.ts';
import type { SagaSettings } from './sagaSettings.ts';

type PlaceOrderRequest = OrderComponents['schemas']['PlaceOrderRequest'];

/**
 * What tells "same body" from "different body" for an Idempotency-Key: the items (their order
 * counts) and the payment token, whatever the JSON key order or whitespace, and the owner: a key
 * is one owner's, so another owner sending it gets 422 instead of the first owner's order.
 */
const fingerprintOf = (body: PlaceOrderRequest, ownerId: string | null): string =>
  requestFingerprint('placeOrder', ownerId === null ? {} : { ownerId }, {
    items: body.items.map(({ productId, quantity }) => ({ productId, quantity })),
    paymentToken: body.paymentToken,
  });

export interface PlaceOrderDeps {
  store: OrderStore;
  catalog: ProductCatalog;
  runner: SagaRunner;
  settings: SagaSettings;
  logger: Logger;
  /** Keeps track of sagas still running after their request answered (for shutdown). */
  track(saga: Promise<unknown>): void;
}

/** Cancellations that answered 503 + Retry-After: the client is told to retry with the same key. */
const RETRYABLE_CANCELLATIONS = new Set(['PAYMENT_UNAVAILABLE', 'INVENTORY_UNAVAILABLE']);

/**
 * POST /orders: idempotent by Idempotency-Key. A new key persists a PENDING order (priced from the
 * catalog) and runs its saga for at most the request budget; what is not settled by then goes on
 * in the background (or in the recovery worker) and the client gets 202 + Location. A known key
 * with the same body replays the order's current answer; with another body it is 422; while the
 * first request still runs the saga it is 409 IDEMPOTENCY_CONFLICT. A 503 is not a stored result
 * (as with Stripe and the IETF idempotency-key draft, server errors are not replayed): when the
 * key's order was cancelled because a dependency was unavailable, the retry places a new order
 * under the same key, and the cancelled one stays cancelled with its record.
 */
export function createPlaceOrder(deps: PlaceOrderDeps) {
  const { store, catalog, runner, settings, logger } = deps;

  function replay(existing: OrderRecord, requestHash: string): PlaceOrderAnswer {
    if (existing.requestHash !== requestHash) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', { detail: 'This Idempotency-Key was used with a different body.' });
    }
    const running = existing.leaseExpiresAt !== null && existing.leaseExpiresAt.getTime() > Date.now();
    if (existing.status === 'PENDING' && running) {
      throw new AppError('IDEMPOTENCY_CONFLICT', {
        detail: 'The first request with this Idempotency-Key is still being processed.',
        retryAfterSeconds: POLL_AFTER_SECONDS,
        extensions: { orderId: existing.id },
      });
    }
    return answerForOrder(existing, { replayed: true });
  }

  async function replayOrThrow(idempotencyKey: string, requestHash: string, error: unknown): Promise<PlaceOrderAnswer> {
    const existing = await store.findByKey(idempotencyKey);
    if (existing) return replay(existing, requestHash);
    throw error;
  }

  async function runWithinBudget(order: OrderRecord, lease: SagaLease): Promise<SagaRun | 'over_budget' | 'failed'> {
    const saga = runner.run(order, lease, 'request').catch((error: unknown): 'failed' => {
      // The lease expires and the recovery worker resumes the saga.
      logger.error({ err: error, orderId: order.id }, 'saga failed; left to the recovery worker');
      return 'failed';
    });
    deps.track(saga);
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<'over_budget'>((resolve) => {
      timer = setTimeout(() => resolve('over_budget'), settings.requestBudgetMs);
    });
    try {
      return await Promise.race([saga, budget]);
    } finally {
      clearTimeout(timer);
    }
  }

  return async function placeOrder(
    body: PlaceOrderRequest,
    idempotencyKey: string,
    ownerId: string | null = null,
  ): Promise<PlaceOrderAnswer> {
    const requestHash = fingerprintOf(body, ownerId);
    let priced;
    try {
      priced = await catalog.price(body.items);
    } catch (error) {
      // A replay must not depend on the catalog: answer it from the stored order if there is one.
      return replayOrThrow(idempotencyKey, requestHash, error);
    }
    const lease: SagaLease = { token: randomUUID(), durationMs: settings.leaseMs };
    const insert = (): Promise<OrderRecord | undefined> =>
      store.insertPending(
        { id: randomUUID(), idempotencyKey, requestHash, ownerId, ...priced, paymentToken: body.paymentToken },
        lease,
      );
    let order = await insert();
    if (!order) {
      const existing = await store.findByKey(idempotencyKey);
      const retryable =
        existing !== undefined &&
        existing.requestHash === requestHash &&
        existing.status === 'CANCELLED' &&
        existing.cancellationReason !== null &&
        RETRYABLE_CANCELLATIONS.has(existing.cancellationReason);
      if (retryable && (await store.supersedeRetryableCancellation(idempotencyKey, existing.id))) {
        logger.info({ orderId: existing.id }, 'retry after a 503: the key places a new order');
        order = await insert();
      }
    }
    if (!order) return replayOrThrow(idempotencyKey, requestHash, new AppError('INTERNAL'));

    const outcome = await runWithinBudget(order, lease);
    if (outcome === 'over_budget' || (outcome !== 'failed' && outcome.kind === 'unsettled')) {
      return answerForOrder(order, { replayed: false });
    }
    if (outcome !== 'failed' && outcome.kind === 'settled') return answerForOrder(outcome.order, { replayed: false });
    return answerForOrder((await store.findById(order.id)) ?? order, { replayed: false });
  };
}

export type PlaceOrder = ReturnType<typeof createPlaceOrder>;
