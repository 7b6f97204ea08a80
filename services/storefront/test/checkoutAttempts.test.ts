import { describe, expect, it } from 'vitest';
import { createCheckoutAttempts } from '../src/web/checkoutAttempts.ts';
import type { PlaceOrderRequest } from '../src/web/gatewayTypes.ts';

const cart: PlaceOrderRequest = { items: [{ productId: 'espresso-1kg', quantity: 2 }], paymentToken: 'tok_approve' };

function sequentialKeys(): () => string {
  let next = 0;
  return () => `key-${++next}`;
}

describe('checkout attempts', () => {
  it('sends a first checkout with a new key and the exact cart', () => {
    const attempts = createCheckoutAttempts(sequentialKeys());
    const attempt = attempts.submit(cart);
    expect(attempt).toEqual({ key: 'key-1', request: cart });
    expect(attempts.inFlight).toBe(true);
  });

  it('guards a double submit: nothing is sent while the first send is in flight', () => {
    const attempts = createCheckoutAttempts(sequentialKeys());
    const first = attempts.submit(cart);
    expect(first).toBeDefined();
    expect(attempts.submit(cart)).toBeUndefined();
    expect(attempts.retry()).toBeUndefined();
  });

  it('reuses the key when the same cart is checked out again after a retryable failure', () => {
    const attempts = createCheckoutAttempts(sequentialKeys());
    const first = attempts.submit(cart);
    if (!first) throw new Error('expected an attempt');
    attempts.finish(first, 'retryable');
    const again = attempts.submit(structuredClone(cart));
    expect(again?.key).toBe('key-1');
  });

  it('retries the last retryable attempt with the same key and the same body', () => {
    const attempts = createCheckoutAttempts(sequentialKeys());
    const first = attempts.submit(cart);
    if (!first) throw new Error('expected an attempt');
    attempts.finish(first, 'retryable');
    expect(attempts.retryable).toBe(first);
    const retried = attempts.retry();
    expect(retried).toEqual({ key: 'key-1', request: cart });
    expect(attempts.retryable).toBeUndefined();
  });

  it('starts a new attempt with a new key when the cart changed after a retryable failure', () => {
    const attempts = createCheckoutAttempts(sequentialKeys());
    const first = attempts.submit(cart);
    if (!first) throw new Error('expected an attempt');
    attempts.finish(first, 'retryable');
    const changed = attempts.submit({ ...cart, items: [{ productId: 'espresso-1kg', quantity: 3 }] });
    expect(changed?.key).toBe('key-2');
    expect(changed?.request.items).toEqual([{ productId: 'espresso-1kg', quantity: 3 }]);
  });

  it('starts a new attempt when only the payment token changed', () => {
    const attempts = createCheckoutAttempts(sequentialKeys());
    const first = attempts.submit(cart);
    if (!first) throw new Error('expected an attempt');
    attempts.finish(first, 'retryable');
    expect(attempts.submit({ ...cart, paymentToken: 'tok_slow' })?.key).toBe('key-2');
  });

  it('starts a new attempt after a settled one, even for the same cart', () => {
    const attempts = createCheckoutAttempts(sequentialKeys());
    const first = attempts.submit(cart);
    if (!first) throw new Error('expected an attempt');
    attempts.finish(first, 'settled');
    expect(attempts.retry()).toBeUndefined();
    expect(attempts.submit(cart)?.key).toBe('key-2');
  });

  it('keeps the body of an attempt fixed even if the caller mutates its cart afterwards', () => {
    const attempts = createCheckoutAttempts(sequentialKeys());
    const request = structuredClone(cart);
    const first = attempts.submit(request);
    if (!first) throw new Error('expected an attempt');
    request.items.push({ productId: 'moka-pot', quantity: 1 });
    attempts.finish(first, 'retryable');
    expect(attempts.retry()?.request).toEqual(cart);
  });

  it('uses crypto-random keys that match the contract pattern by default', async () => {
    const { newIdempotencyKey } = await import('../src/web/idempotencyKey.ts');
    const keys = new Set(Array.from({ length: 50 }, () => newIdempotencyKey()));
    expect(keys.size).toBe(50);
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_-]{8,128}$/);
  });
});
