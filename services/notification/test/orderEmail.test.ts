import { describe, expect, it } from 'vitest';
import { validateOrderEvent } from '../src/orderEventsConsumer.ts';
import { cancellationEmail, confirmationEmail, recipientOf } from '../src/orderEmail.ts';
import { orderCancelled, orderConfirmed } from './support/orderEvents.ts';

const orderId = '3f6c1a52-8d1e-4b8a-9c7e-2a1f5e9d4b10';

describe('order e-mails', () => {
  it('addresses the order on the reserved .test domain', () => {
    expect(recipientOf(orderId)).toBe('customer+3f6c1a52@example.test');
  });

  it('confirms with the order reference, the lines and the total', () => {
    const email = confirmationEmail(orderConfirmed(orderId));
    expect(email.kind).toBe('ORDER_CONFIRMED');
    expect(email.subject).toBe('Your order 3f6c1a52 is confirmed');
    expect(email.body).toContain('2 x espresso-1kg at 18.99 EUR');
    expect(email.body).toContain('Total: 72.48 EUR');
  });

  it('explains a cancellation with its reason', () => {
    const email = cancellationEmail({ ...orderCancelled(orderId), reason: 'OUT_OF_STOCK' });
    expect(email.kind).toBe('ORDER_CANCELLED');
    expect(email.subject).toBe('Your order 3f6c1a52 is cancelled');
    expect(email.body).toContain('out of stock');
  });
});

describe('order event validation', () => {
  const headersOf = (eventType: string, eventId: string) => ({ eventId, eventType });

  it('accepts both events of the contract', () => {
    const confirmed = orderConfirmed();
    const cancelled = orderCancelled();
    expect(validateOrderEvent(confirmed, headersOf('OrderConfirmed', confirmed.eventId))).toEqual({ ok: true });
    expect(validateOrderEvent(cancelled, headersOf('OrderCancelled', cancelled.eventId))).toEqual({ ok: true });
  });

  it('refuses a payload that breaks the schema, naming the field', () => {
    const event = { ...orderConfirmed(), totalCents: -5 };
    const result = validateOrderEvent(event, headersOf('OrderConfirmed', event.eventId));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.join()).toContain('/totalCents');
  });

  it('refuses an unknown event type and a header id that differs from the payload id', () => {
    const event = orderConfirmed();
    expect(validateOrderEvent(event, headersOf('OrderShipped', event.eventId)).ok).toBe(false);
    expect(validateOrderEvent(event, headersOf('OrderConfirmed', orderCancelled().eventId)).ok).toBe(false);
  });
});
