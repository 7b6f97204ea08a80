import { inSpan, mutantActive, SpanKind, type Logger } from '@harness/kit';
import type { InventoryGateway } from '../clients/inventoryGateway.ts';
import type { PaymentGateway } from '../clients/paymentGateway.ts';
import {
  lineItemsOf,
  type CancellationDetail,
  type CancellationReason,
  type OrderRecord,
  type SagaStep,
} from '../orders/Order.ts';
import type { OrderStore, SagaLease } from '../orders/orderStore.ts';
import type { OrderTransitions } from './orderTransitions.ts';
import { retryDelayMs, type SagaSettings } from './sagaSettings.ts';

/**
 * Who runs the saga. A request cancels at once when a dependency is unavailable (the client gets
 * 503 and may retry); the recovery worker retries with backoff until the attempts or the deadline
 * run out. Both leave an uncertain charge (timeout) to the worker.
 */
export type SagaMode = 'request' | 'recovery';

export type SagaRun =
  | { kind: 'settled'; order: OrderRecord }
  /** Left to the recovery worker (step and next attempt persisted). */
  | { kind: 'unsettled' }
  /** Another runner took the saga over; nothing was changed. */
  | { kind: 'lease_lost' };

export interface SagaRunnerDeps {
  store: OrderStore;
  transitions: OrderTransitions;
  inventory: InventoryGateway;
  payment: PaymentGateway;
  settings: SagaSettings;
  logger: Logger;
  now?: () => number;
}

const leaseLost: SagaRun = { kind: 'lease_lost' };

/** A saga step as an INTERNAL span (`saga reserve`, `saga charge`, `saga confirm`, `saga compensate`). */
function sagaStep<T>(
  step: string,
  order: OrderRecord,
  fn: () => Promise<T>,
  attributes: Record<string, string | boolean> = {},
): Promise<T> {
  return inSpan(`saga ${step}`, { kind: SpanKind.INTERNAL, attributes: { 'order.id': order.id, ...attributes } }, fn);
}

/** What a cancellation undoes: the reservation, and (later, by the worker) a possible charge. */
interface Compensation {
  release: boolean;
  audit: boolean;
}
const NOTHING_TO_UNDO: Compensation = { release: false, audit: false };
const RELEASE_STOCK: Compensation = { release: true, audit: false };
const RELEASE_AND_AUDIT: Compensation = { release: true, audit: true };

/**
 * The order saga: reserve stock → charge → confirm, compensating in reverse on failure. It
 * resumes from the persisted step, and each step is persisted before the next remote call, so it
 * can be run again after a crash at any point: reserving is idempotent by order id and the charge
 * by its Idempotency-Key.
 */
export function createSagaRunner(deps: SagaRunnerDeps) {
  const { store, transitions, inventory, payment, settings, logger } = deps;
  const now = deps.now ?? Date.now;

  const pastDeadline = (order: OrderRecord): boolean => now() - order.createdAt.getTime() >= settings.deadlineMs;

  async function releaseStock(orderId: string): Promise<void> {
    const released = await inventory.release(orderId);
    if (released.kind === 'failed') {
      logger.warn({ orderId, detail: released.detail }, 'stock release failed; inventory releases on OrderCancelled');
    }
  }

  function cancel(
    order: OrderRecord,
    lease: SagaLease,
    reason: CancellationReason,
    detail: CancellationDetail,
    compensation: Compensation,
  ): Promise<SagaRun> {
    // Mutant compensation-skipped (harness mutate only): cancel without undoing anything.
    const undo = mutantActive('compensation-skipped') ? NOTHING_TO_UNDO : compensation;
    const attributes = { 'saga.cancellation_reason': reason, 'saga.release_stock': undo.release };
    return sagaStep(
      'compensate',
      order,
      async () => {
        // Compensate first, so whoever sees CANCELLED finds the stock back; if the release fails,
        // the OrderCancelled event makes inventory release it.
        if (undo.release) await releaseStock(order.id);
        const auditAfterMs = undo.audit ? settings.auditDelayMs : undefined;
        const cancelled = await transitions.cancel(order, lease, reason, detail, auditAfterMs);
        return cancelled ? { kind: 'settled', order: cancelled } : leaseLost;
      },
      attributes,
    );
  }

  /** Gives up on a saga that did not settle in time: release stock, audit any charge, cancel. */
  function compensate(order: OrderRecord, lease: SagaLease, step: SagaStep, why: string): Promise<SagaRun> {
    logger.warn(
      { orderId: order.id, step, attempts: order.attempts, why },
      'saga did not settle in time; compensating',
    );
    const chargeMayExist = step === 'CHARGING' || step === 'CHARGE_UNKNOWN';
    return cancel(
      order,
      lease,
      'TIMEOUT',
      { detail: `the order could not be settled in time (${why})` },
      { release: true, audit: chargeMayExist },
    );
  }

  async function retryLater(order: OrderRecord, lease: SagaLease, step: SagaStep, why: string): Promise<SagaRun> {
    if (order.attempts >= settings.maxAttempts || pastDeadline(order)) return compensate(order, lease, step, why);
    const untilDeadline = order.createdAt.getTime() + settings.deadlineMs - now();
    const delay = Math.min(retryDelayMs(order.attempts + 1, settings), Math.max(0, untilDeadline));
    logger.info(
      { orderId: order.id, step, attempts: order.attempts, delayMs: delay, why },
      'saga left to the recovery worker',
    );
    return (await store.scheduleRetry(order.id, lease, step, delay)) ? { kind: 'unsettled' } : leaseLost;
  }

  async function reserve(order: OrderRecord, lease: SagaLease, mode: SagaMode): Promise<SagaRun | 'reserved'> {
    const outcome = await sagaStep('reserve', order, () => inventory.reserve(order.id, lineItemsOf(order)));
    switch (outcome.kind) {
      case 'reserved':
        return (await store.advanceStep(order.id, lease, 'CHARGING')) ? 'reserved' : leaseLost;
      case 'out_of_stock':
        return cancel(order, lease, 'OUT_OF_STOCK', detailOf(outcome), NOTHING_TO_UNDO);
      case 'unknown_product':
        return cancel(
          order,
          lease,
          'OUT_OF_STOCK',
          { ...detailOf(outcome), detail: 'the product is no longer sold' },
          NOTHING_TO_UNDO,
        );
      case 'rejected':
        logger.error(
          { orderId: order.id, status: outcome.status, detail: outcome.detail },
          'inventory rejected a reservation',
        );
        return cancel(
          order,
          lease,
          'INVENTORY_UNAVAILABLE',
          { detail: `inventory rejected the reservation` },
          RELEASE_STOCK,
        );
      case 'unavailable':
        if (mode === 'recovery') return retryLater(order, lease, 'CREATED', `inventory ${outcome.reason}`);
        // A timed-out reservation may exist: the OrderCancelled event makes inventory release it.
        return cancel(order, lease, 'INVENTORY_UNAVAILABLE', unavailableDetail('inventory', outcome), NOTHING_TO_UNDO);
    }
  }

  async function charge(order: OrderRecord, lease: SagaLease, mode: SagaMode, step: SagaStep): Promise<SagaRun> {
    const confirm = (chargeId: string | null) =>
      sagaStep('confirm', order, () => transitions.confirm(order, lease, chargeId));
    if (order.totalCents === 0) return settle(await confirm(null));
    const token = order.paymentToken;
    if (token === null) return compensate(order, lease, step, 'payment token missing');
    const outcome = await sagaStep('charge', order, () =>
      payment.charge({ orderId: order.id, amountCents: order.totalCents, currency: order.currency, token }),
    );
    switch (outcome.kind) {
      case 'charged':
        return settle(await confirm(outcome.chargeId));
      case 'declined':
        return cancel(
          order,
          lease,
          'PAYMENT_DECLINED',
          outcome.detail === undefined ? {} : { detail: outcome.detail },
          RELEASE_STOCK,
        );
      case 'unknown':
        return retryLater(order, lease, 'CHARGE_UNKNOWN', `charge outcome unknown: ${outcome.reason}`);
      case 'unavailable':
        if (mode === 'recovery' || step === 'CHARGE_UNKNOWN')
          return retryLater(order, lease, step, `payment ${outcome.reason}`);
        // If an attempt may have reached payment, the worker audits for a charge later.
        return cancel(order, lease, 'PAYMENT_UNAVAILABLE', unavailableDetail('payment', outcome), {
          release: true,
          audit: mayHaveReachedPayment(outcome.reason),
        });
      case 'rejected':
        logger.error(
          { orderId: order.id, status: outcome.status, detail: outcome.detail },
          'payment rejected a charge',
        );
        return cancel(
          order,
          lease,
          'PAYMENT_UNAVAILABLE',
          { detail: 'payment rejected the charge' },
          RELEASE_AND_AUDIT,
        );
    }
  }

  return {
    /** Runs the saga from its persisted step until it settles or is left to the worker. */
    async run(order: OrderRecord, lease: SagaLease, mode: SagaMode): Promise<SagaRun> {
      let step = order.sagaStep;
      if (step === 'CREATED') {
        const reserved = await reserve(order, lease, mode);
        if (reserved !== 'reserved') return reserved;
        step = 'CHARGING';
      }
      if (step === 'CHARGING' || step === 'CHARGE_UNKNOWN') return charge(order, lease, mode, step);
      logger.error({ orderId: order.id, step }, 'saga in an unexpected step');
      return compensate(order, lease, step, `unexpected step ${step}`);
    },

    /** Cancels a saga past its deadline or attempts with reason TIMEOUT (recovery worker). */
    compensate(order: OrderRecord, lease: SagaLease, why: string): Promise<SagaRun> {
      return compensate(order, lease, order.sagaStep, why);
    },

    pastDeadline,
  };
}

/**
 * Whether a failed charge call may have reached payment. `circuit_open` and `bulkhead_full` mean
 * no attempt was made (when the circuit refuses a retry, the policy reports the earlier attempt's
 * failure instead); after a network failure or a 5xx, an earlier attempt of the same call may
 * have timed out after payment charged.
 */
function mayHaveReachedPayment(reason: string): boolean {
  return reason !== 'circuit_open' && reason !== 'bulkhead_full';
}

function settle(order: OrderRecord | undefined): SagaRun {
  return order ? { kind: 'settled', order } : leaseLost;
}

function detailOf(outcome: { productId?: string; detail?: string }): CancellationDetail {
  const detail: CancellationDetail = {};
  if (outcome.productId !== undefined) detail.productId = outcome.productId;
  if (outcome.detail !== undefined) detail.detail = outcome.detail;
  return detail;
}

function unavailableDetail(
  dependency: string,
  outcome: { reason: string; retryAfterSeconds?: number },
): CancellationDetail {
  const detail: CancellationDetail = { detail: `${dependency} is unavailable (${outcome.reason.replace('_', ' ')})` };
  if (outcome.retryAfterSeconds !== undefined) detail.retryAfterSeconds = outcome.retryAfterSeconds;
  return detail;
}

export type SagaRunner = ReturnType<typeof createSagaRunner>;
