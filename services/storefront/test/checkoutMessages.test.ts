import { describe, expect, it } from 'vitest';
import { checkoutMessage, describeCancellation } from '../src/web/checkoutMessages.ts';
import { orderId } from './support/fixtures.ts';

const retryAt = Date.now() + 2_000;

describe('the checkout message', () => {
  it('says the order was cancelled for an unavailable payment service, without a charge, and when to retry', () => {
    const message = checkoutMessage({
      phase: 'done',
      retryAt,
      outcome: {
        kind: 'unavailable',
        message: 'payment is unavailable (circuit open)',
        retryAfterSeconds: 2,
        cancelledOrder: { orderId, reason: 'PAYMENT_UNAVAILABLE' },
      },
    });
    expect(message).toEqual({
      text:
        'Your order was cancelled because the payment service was unavailable (you were not charged). ' +
        'Try again in 2 seconds: a new order will be placed.',
      tone: 'error',
    });
  });

  it('keeps the generic unavailable message when no order was created', () => {
    const message = checkoutMessage({
      phase: 'done',
      retryAt,
      outcome: { kind: 'unavailable', message: 'order is unavailable', retryAfterSeconds: 2 },
    });
    expect(message?.text).toBe('The shop is temporarily unavailable, try again in 2 seconds. order is unavailable.');
  });

  it('words a cancellation reason it does not know as unknown', () => {
    expect(describeCancellation('SOMETHING_NEW')).toBe('of an unknown reason');
    expect(describeCancellation(undefined)).toBe('of an unknown reason');
    expect(describeCancellation('TIMEOUT')).toBe('it could not be completed in time (you were not charged)');
  });
});
