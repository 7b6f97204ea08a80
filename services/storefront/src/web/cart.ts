import type { LineItem, Product } from './gatewayTypes.ts';

/** Product id → quantity, in the order the shopper added them. Never mutated: every change returns a new cart. */
export type Cart = ReadonlyMap<string, number>;

export const emptyCart: Cart = new Map();

/** Limits of one order in the gateway contract (Quantity maximum, LineItems maxItems). */
const maxQuantityPerLine = 100;
export const maxLinesPerOrder = 20;

/** The most of one product the shopper may put in the cart: what is available, within the contract limit. */
export function quantityLimit(product: Product): number {
  return Math.max(0, Math.min(product.available, maxQuantityPerLine));
}

/** Adds one unit, unless the product is sold out, its limit is reached, or the cart is full. */
export function addToCart(cart: Cart, product: Product): Cart {
  const current = cart.get(product.id) ?? 0;
  if (current === 0 && cart.size >= maxLinesPerOrder) return cart;
  return setQuantity(cart, product, current + 1);
}

/** Sets a line's quantity, clamped to 0..limit; 0 removes the line. Returns the same cart when nothing changes. */
export function setQuantity(cart: Cart, product: Product, quantity: number): Cart {
  const wanted = Number.isFinite(quantity) ? Math.trunc(quantity) : 0;
  const clamped = Math.max(0, Math.min(wanted, quantityLimit(product)));
  const current = cart.get(product.id) ?? 0;
  if (clamped === current) return cart;
  if (clamped === 0) return removeFromCart(cart, product.id);
  if (current === 0 && cart.size >= maxLinesPerOrder) return cart;
  const next = new Map(cart);
  next.set(product.id, clamped);
  return next;
}

export function removeFromCart(cart: Cart, productId: string): Cart {
  if (!cart.has(productId)) return cart;
  const next = new Map(cart);
  next.delete(productId);
  return next;
}

/** Clamps every line to the current availability (after the catalog is reloaded); drops unknown products. */
export function reconcileCart(cart: Cart, products: readonly Product[]): Cart {
  const byId = new Map(products.map((product) => [product.id, product]));
  let next = cart;
  for (const [productId, quantity] of cart) {
    const product = byId.get(productId);
    next = product ? setQuantity(next, product, quantity) : removeFromCart(next, productId);
  }
  return next;
}

/** The cart as the `items` of a PlaceOrderRequest. */
export function cartLineItems(cart: Cart): LineItem[] {
  return [...cart].map(([productId, quantity]) => ({ productId, quantity }));
}

/** Sum of quantity × price of the lines whose product is known, in cents. */
export function cartTotalCents(cart: Cart, products: readonly Product[]): number {
  let total = 0;
  for (const product of products) total += (cart.get(product.id) ?? 0) * product.priceCents;
  return total;
}
