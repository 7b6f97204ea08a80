import { randomUUID } from 'node:crypto';
import type { ProviderStateSetup } from '../../src/verify/stateGuard.ts';
import { providerServiceToken, type RunningApp } from '../support/runningApp.ts';
import { expectStatus, stringParam } from './stateParams.ts';

/** Provider states of payment (link L5), created through payment's own API. */
export function paymentStates(payment: RunningApp): Record<string, ProviderStateSetup> {
  const headers = (key: string) => ({
    'x-service-token': providerServiceToken,
    'content-type': 'application/json',
    'idempotency-key': key,
  });
  async function charge(orderId: string): Promise<string> {
    const answer = await payment.app.inject({
      method: 'POST',
      url: '/charges',
      headers: headers(`order-${orderId}-charge`),
      payload: JSON.stringify({ orderId, amountCents: 3798, currency: 'EUR', token: 'tok_approve' }),
    });
    expectStatus(`charge of ${orderId}`, answer.statusCode, 201, answer.body);
    return (answer.json() as { id: string }).id;
  }
  return {
    'order c0ffee00-0000-4000-8000-000000000013 was charged': async (params) => {
      await charge(stringParam(params, 'orderId'));
    },
    'a charge exists': async () => ({ chargeId: await charge(randomUUID()) }),
    'a charge exists that was fully refunded': async () => {
      const chargeId = await charge(randomUUID());
      const answer = await payment.app.inject({
        method: 'POST',
        url: `/charges/${chargeId}/refunds`,
        headers: headers(`state-refund-${chargeId}`),
        payload: JSON.stringify({ reason: 'refunded before the test' }),
      });
      expectStatus(`refund of ${chargeId}`, answer.statusCode, 201, answer.body);
      return { chargeId };
    },
  };
}
