import { describe, expect, it } from 'vitest';
import { canonicalJson, requestFingerprint } from '../src/idempotency/requestFingerprint.ts';

describe('requestFingerprint', () => {
  it('is the same for the same body whatever the key order', () => {
    const a = requestFingerprint('createCharge', {}, { orderId: 'o', amountCents: 1, currency: 'EUR', token: 't' });
    const b = requestFingerprint('createCharge', {}, { token: 't', currency: 'EUR', amountCents: 1, orderId: 'o' });
    expect(a).toBe(b);
  });

  it('differs when a value, the operation or a path parameter differs', () => {
    const base = requestFingerprint('createRefund', { chargeId: 'ch_a' }, { amountCents: 100 });
    expect(requestFingerprint('createRefund', { chargeId: 'ch_a' }, { amountCents: 101 })).not.toBe(base);
    expect(requestFingerprint('createRefund', { chargeId: 'ch_b' }, { amountCents: 100 })).not.toBe(base);
    expect(requestFingerprint('createCharge', { chargeId: 'ch_a' }, { amountCents: 100 })).not.toBe(base);
  });

  it('writes nested objects and arrays canonically', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: 'x', skipped: undefined })).toBe('{"a":"x","b":[{"c":2,"d":1}]}');
  });
});
