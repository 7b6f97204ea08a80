import { callDependency } from '@harness/kit';
import type { PaymentPaths } from '@harness/contracts';
import type { Client } from 'openapi-fetch';
import { describeError, optional, unavailableFrom, type Unavailable } from './inventoryGateway.ts';

interface ChargeRequest {
  orderId: string;
  amountCents: number;
  currency: string;
  token: string;
}

type ChargeOutcome =
  | { kind: 'charged'; chargeId: string }
  | { kind: 'declined'; detail?: string }
  /**
   * The charge may have happened: the attempt timed out, or payment still processes an earlier
   * attempt with the same key (409 IDEMPOTENCY_CONFLICT). Retrying with the same key tells.
   */
  | { kind: 'unknown'; reason: string }
  /** An answer that blames the request (400, 401, 422): a bug or a misconfiguration here. */
  | { kind: 'rejected'; status: number; detail: string }
  | Unavailable;

type ChargesOutcome = { kind: 'charges'; chargeIds: string[] } | Unavailable;
type RefundOutcome = { kind: 'refunded' } | { kind: 'failed'; detail: string };

/** L5: the order service's calls to payment, as outcomes the saga can switch on. */
export interface PaymentGateway {
  /** Charges with the order's own Idempotency-Key, so every retry and recovery replays one charge. */
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  /** The succeeded charges payment holds for an order. */
  findCharges(orderId: string): Promise<ChargesOutcome>;
  /** Refunds the whole charge, idempotently by a key derived from the charge. */
  refund(chargeId: string): Promise<RefundOutcome>;
}

/** The Idempotency-Key of an order's charge: the same for the request, its retries and recovery. */
const chargeKeyOf = (orderId: string): string => `order-${orderId}-charge`;
const refundKeyOf = (chargeId: string): string => `refund-${chargeId}`;

export function createPaymentGateway(client: Client<PaymentPaths>): PaymentGateway {
  return {
    async charge(request) {
      const result = await callDependency(() =>
        client.POST('/charges', {
          params: { header: { 'Idempotency-Key': chargeKeyOf(request.orderId) } },
          body: request,
        }),
      );
      if (!result.error) return { kind: 'charged', chargeId: result.data.id };
      const error = result.error;
      if (error.kind === 'unavailable') {
        // A timeout, or a success answer we could not read: payment may have charged.
        if (error.reason === 'timeout' || error.reason === 'invalid_response')
          return { kind: 'unknown', reason: error.reason };
        return unavailableFrom(error);
      }
      if (error.status === 402) return { kind: 'declined', ...optional('detail', error.problem?.detail) };
      if (error.status === 409) return { kind: 'unknown', reason: 'charge in flight at payment' };
      if (error.status >= 500 || error.status === 429) return unavailableFrom(error);
      return { kind: 'rejected', status: error.status, detail: describeError(error) };
    },

    async findCharges(orderId) {
      const result = await callDependency(() => client.GET('/charges', { params: { query: { orderId } } }));
      if (result.error) return unavailableFrom(result.error);
      return {
        kind: 'charges',
        chargeIds: result.data.items.filter((charge) => charge.status === 'SUCCEEDED').map((charge) => charge.id),
      };
    },

    async refund(chargeId) {
      const result = await callDependency(() =>
        client.POST('/charges/{chargeId}/refunds', {
          params: { path: { chargeId }, header: { 'Idempotency-Key': refundKeyOf(chargeId) } },
          body: { reason: 'order cancelled' },
        }),
      );
      if (!result.error) return { kind: 'refunded' };
      // Nothing left to refund means an earlier refund of ours went through.
      if (result.error.kind === 'http' && result.error.problem?.code === 'REFUND_EXCEEDS_CHARGE')
        return { kind: 'refunded' };
      return { kind: 'failed', detail: describeError(result.error) };
    },
  };
}
