import type { Logger } from '@harness/kit';
import type { PaymentGateway } from '../clients/paymentGateway.ts';
import type { OrderRecord } from '../orders/Order.ts';
import type { OrderStore, SagaLease } from '../orders/orderStore.ts';
import type { SagaMetrics } from './sagaMetrics.ts';
import { retryDelayMs, type SagaSettings } from './sagaSettings.ts';

export interface ChargeAuditDeps {
  store: OrderStore;
  payment: PaymentGateway;
  settings: SagaSettings;
  metrics: SagaMetrics;
  logger: Logger;
}

const AUDIT_RETRY_MAX_MS = 30_000;

/**
 * The last compensation of an order cancelled while its charge was uncertain (a timed-out or
 * failed charge call may still have charged): ask payment for the order's charges and refund
 * every one, so a cancelled order never keeps the customer's money. Retried with backoff while
 * payment is unavailable.
 */
export function createChargeAudit(deps: ChargeAuditDeps) {
  const { store, payment, settings, logger } = deps;

  async function retryOrGiveUp(order: OrderRecord, lease: SagaLease, why: string): Promise<void> {
    if (order.attempts >= settings.auditMaxAttempts) {
      logger.error(
        { orderId: order.id, attempts: order.attempts, why },
        'charge audit given up: check payment by hand',
      );
      await store.finishAudit(order.id, lease, 'CANCELLED', null);
      return;
    }
    const delay = retryDelayMs(order.attempts, { retryBaseMs: settings.retryBaseMs, retryMaxMs: AUDIT_RETRY_MAX_MS });
    await store.scheduleRetry(order.id, lease, 'CHARGE_AUDIT', delay);
  }

  return async function auditCharges(order: OrderRecord, lease: SagaLease): Promise<void> {
    const found = await payment.findCharges(order.id);
    if (found.kind === 'unavailable') return retryOrGiveUp(order, lease, `payment ${found.reason}`);
    for (const chargeId of found.chargeIds) {
      const refund = await payment.refund(chargeId);
      if (refund.kind === 'failed')
        return retryOrGiveUp(order, lease, `refund of ${chargeId} failed: ${refund.detail}`);
      deps.metrics.refunds.inc();
      logger.warn({ orderId: order.id, chargeId }, 'refunded the charge of a cancelled order');
    }
    await store.finishAudit(
      order.id,
      lease,
      found.chargeIds.length > 0 ? 'REFUNDED' : 'CANCELLED',
      found.chargeIds[0] ?? null,
    );
  };
}
