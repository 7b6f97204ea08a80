import { MatchersV3 } from '@pact-foundation/pact';
import { describe, expect, it } from 'vitest';
import { linkPact } from '../src/consumer/linkPact.ts';
import { ids, json, problem, problemJson, serviceTokenHeader } from './support/examples.ts';
import { orderGateways } from './support/orderUnderPact.ts';

const { eachLike, like, regex, fromProviderState } = MatchersV3;

// L5: the order saga charges, audits and refunds through its PaymentGateway (typed client +
// resilience policy), with the idempotency keys it derives from the order and the charge.
const { pact } = linkPact('L5');

const chargedOrder = 'c0ffee00-0000-4000-8000-000000000011';
const declinedOrder = 'c0ffee00-0000-4000-8000-000000000012';
const auditedOrder = 'c0ffee00-0000-4000-8000-000000000013';
const chargeId = regex('^ch_[A-Za-z0-9]{8,64}$', ids.charge);

const chargeRequest = (orderId: string, token: string) => ({ orderId, amountCents: 3798, currency: 'EUR', token });

describe('L5 order → payment', () => {
  it('charges an order under the key derived from the order', async () => {
    await pact
      .addInteraction()
      .uponReceiving('createCharge: an approved charge')
      .withRequest('POST', '/charges', (request) =>
        request
          .headers({ ...serviceTokenHeader, 'Idempotency-Key': `order-${chargedOrder}-charge` })
          .jsonBody(chargeRequest(chargedOrder, 'tok_approve')),
      )
      .willRespondWith(201, (response) =>
        response
          .headers(json)
          .jsonBody({ id: chargeId, orderId: chargedOrder, amountCents: 3798, status: 'SUCCEEDED' }),
      )
      .executeTest(async (mock) => {
        const outcome = await orderGateways({ payment: mock.url }).payment.charge(
          chargeRequest(chargedOrder, 'tok_approve'),
        );
        expect(outcome).toEqual({ kind: 'charged', chargeId: ids.charge });
      });
  });

  it('learns that the charge was declined', async () => {
    await pact
      .addInteraction()
      .uponReceiving('createCharge: a declined charge')
      .withRequest('POST', '/charges', (request) =>
        request
          .headers({ ...serviceTokenHeader, 'Idempotency-Key': `order-${declinedOrder}-charge` })
          .jsonBody(chargeRequest(declinedOrder, 'tok_decline')),
      )
      .willRespondWith(402, (response) =>
        response
          .headers(problemJson)
          .jsonBody(problem(402, 'PAYMENT_DECLINED', { detail: like('The card was declined.') })),
      )
      .executeTest(async (mock) => {
        const outcome = await orderGateways({ payment: mock.url }).payment.charge(
          chargeRequest(declinedOrder, 'tok_decline'),
        );
        expect(outcome).toMatchObject({ kind: 'declined' });
      });
  });

  it('finds the charges of an order (recovery audit)', async () => {
    await pact
      .addInteraction()
      .given('order c0ffee00-0000-4000-8000-000000000013 was charged', { orderId: auditedOrder })
      .uponReceiving('listCharges: the charges of a charged order')
      .withRequest('GET', '/charges', (request) => request.headers(serviceTokenHeader).query({ orderId: auditedOrder }))
      .willRespondWith(200, (response) =>
        response
          .headers(json)
          .jsonBody({ items: eachLike({ id: chargeId, orderId: auditedOrder, status: 'SUCCEEDED' }) }),
      )
      .executeTest(async (mock) => {
        const outcome = await orderGateways({ payment: mock.url }).payment.findCharges(auditedOrder);
        expect(outcome).toEqual({ kind: 'charges', chargeIds: [ids.charge] });
      });
  });

  it('refunds a charge under the key derived from the charge', async () => {
    await pact
      .addInteraction()
      .given('a charge exists')
      .uponReceiving('createRefund: a full refund')
      .withRequest(
        'POST',
        fromProviderState('/charges/${chargeId}/refunds', `/charges/${ids.charge}/refunds`),
        (request) =>
          request
            .headers({
              ...serviceTokenHeader,
              'Idempotency-Key': fromProviderState('refund-${chargeId}', `refund-${ids.charge}`),
            })
            .jsonBody({ reason: 'order cancelled' }),
      )
      .willRespondWith(201, (response) =>
        response.headers(json).jsonBody({ id: regex('^re_[A-Za-z0-9]{8,64}$', 're_8Hq2wT6yPc1V') }),
      )
      .executeTest(async (mock) => {
        expect(await orderGateways({ payment: mock.url }).payment.refund(ids.charge)).toEqual({ kind: 'refunded' });
      });
  });

  it('treats "nothing left to refund" as refunded', async () => {
    await pact
      .addInteraction()
      .given('a charge exists that was fully refunded')
      .uponReceiving('createRefund: nothing left to refund')
      .withRequest(
        'POST',
        fromProviderState('/charges/${chargeId}/refunds', `/charges/${ids.charge}/refunds`),
        (request) =>
          request
            .headers({
              ...serviceTokenHeader,
              'Idempotency-Key': fromProviderState('refund-${chargeId}', `refund-${ids.charge}`),
            })
            .jsonBody({ reason: 'order cancelled' }),
      )
      .willRespondWith(422, (response) => response.headers(problemJson).jsonBody(problem(422, 'REFUND_EXCEEDS_CHARGE')))
      .executeTest(async (mock) => {
        expect(await orderGateways({ payment: mock.url }).payment.refund(ids.charge)).toEqual({ kind: 'refunded' });
      });
  });
});
