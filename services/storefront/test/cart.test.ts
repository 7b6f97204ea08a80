import { describe, expect, it } from 'vitest';
import {
  addToCart,
  cartLineItems,
  cartTotalCents,
  emptyCart,
  maxLinesPerOrder,
  reconcileCart,
  removeFromCart,
  setQuantity,
} from '../src/web/cart.ts';
import type { Product } from '../src/web/gatewayTypes.ts';

function product(id: string, available: number, priceCents = 1000): Product {
  return { id, sku: id.toUpperCase(), name: id, description: '', priceCents, currency: 'EUR', available };
}

describe('cart', () => {
  it('adds one unit per click and lists the lines in the order they were added', () => {
    const beans = product('beans', 5);
    const mug = product('mug', 5);
    const cart = addToCart(addToCart(addToCart(emptyCart, beans), mug), beans);
    expect(cartLineItems(cart)).toEqual([
      { productId: 'beans', quantity: 2 },
      { productId: 'mug', quantity: 1 },
    ]);
  });

  it('does not add a sold-out product', () => {
    expect(addToCart(emptyCart, product('beans', 0))).toBe(emptyCart);
  });

  it('never puts more in the cart than is available or than the contract allows', () => {
    const scarce = product('scarce', 2);
    expect(setQuantity(emptyCart, scarce, 9).get('scarce')).toBe(2);
    expect(addToCart(addToCart(addToCart(emptyCart, scarce), scarce), scarce).get('scarce')).toBe(2);
    expect(setQuantity(emptyCart, product('plenty', 1000), 500).get('plenty')).toBe(100);
  });

  it('removes a line when its quantity is set to zero, a negative or a non-number', () => {
    const beans = product('beans', 5);
    const cart = addToCart(emptyCart, beans);
    expect(setQuantity(cart, beans, 0).has('beans')).toBe(false);
    expect(setQuantity(cart, beans, -3).has('beans')).toBe(false);
    expect(setQuantity(cart, beans, Number.NaN).has('beans')).toBe(false);
    expect(removeFromCart(cart, 'beans').size).toBe(0);
  });

  it('drops fractions from a typed quantity', () => {
    expect(setQuantity(emptyCart, product('beans', 5), 2.7).get('beans')).toBe(2);
  });

  it('refuses a line beyond the contract maximum of lines per order', () => {
    let cart = emptyCart;
    for (let index = 0; index < maxLinesPerOrder; index += 1) cart = addToCart(cart, product(`p${index}`, 1));
    expect(addToCart(cart, product('one-too-many', 1))).toBe(cart);
  });

  it('clamps lines to new availability and drops vanished products when the catalog reloads', () => {
    const cart = setQuantity(setQuantity(emptyCart, product('beans', 5), 4), product('gone', 5), 1);
    const next = reconcileCart(cart, [product('beans', 3)]);
    expect(cartLineItems(next)).toEqual([{ productId: 'beans', quantity: 3 }]);
  });

  it('totals quantity times price in cents', () => {
    const beans = product('beans', 5, 7248);
    const mug = product('mug', 5, 1299);
    const cart = setQuantity(setQuantity(emptyCart, beans, 2), mug, 1);
    expect(cartTotalCents(cart, [beans, mug])).toBe(2 * 7248 + 1299);
  });
});
