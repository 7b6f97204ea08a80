import { describe, expect, it } from 'vitest';
import { mergeLineItems } from '../src/reservations/lineItems.ts';

describe('mergeLineItems', () => {
  it('gives the same key whatever the order or splitting of the lines', () => {
    const a = mergeLineItems([
      { productId: 'moka-pot-6', quantity: 1 },
      { productId: 'espresso-1kg', quantity: 2 },
    ]);
    const b = mergeLineItems([
      { productId: 'espresso-1kg', quantity: 1 },
      { productId: 'moka-pot-6', quantity: 1 },
      { productId: 'espresso-1kg', quantity: 1 },
    ]);
    expect(a.key).toBe('espresso-1kg:2,moka-pot-6:1');
    expect(b.key).toBe(a.key);
    expect(b.productIds).toEqual(['espresso-1kg', 'moka-pot-6']);
    expect(b.quantities).toEqual([2, 1]);
  });

  it('gives different keys for different quantities', () => {
    expect(mergeLineItems([{ productId: 'espresso-1kg', quantity: 2 }]).key).not.toBe(
      mergeLineItems([{ productId: 'espresso-1kg', quantity: 3 }]).key,
    );
  });
});
