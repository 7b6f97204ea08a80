import type { Cart } from '../cart.ts';
import { cartTotalCents, quantityLimit } from '../cart.ts';
import { h, idPart, replaceChildrenKeepingFocus } from '../dom.ts';
import type { Product } from '../gatewayTypes.ts';
import { formatMoney } from '../money.ts';

export interface CartPanelProps {
  cart: Cart;
  products: readonly Product[];
  /** While an order is being placed the cart cannot change (the attempt's body is fixed). */
  locked: boolean;
  onQuantity: (product: Product, quantity: number) => void;
  onRemove: (product: Product) => void;
}

/** Renders the cart lines with a quantity picker each, and the total. */
export function renderCartPanel(container: HTMLElement, props: CartPanelProps): void {
  const lines = props.products.filter((product) => props.cart.has(product.id));
  if (lines.length === 0) {
    replaceChildrenKeepingFocus(container, [h('p', { 'data-testid': 'cart-empty' }, 'Your cart is empty.')]);
    return;
  }
  const list = h('ul', { class: 'cart-list', 'data-testid': 'cart-list' });
  for (const product of lines) list.append(cartLine(product, props));
  const currency = lines[0]?.currency ?? 'EUR';
  const total = h(
    'p',
    { class: 'cart-total', 'data-testid': 'cart-total' },
    `Total: ${formatMoney(cartTotalCents(props.cart, props.products), currency)}`,
  );
  replaceChildrenKeepingFocus(container, [list, total]);
}

function cartLine(product: Product, props: CartPanelProps): HTMLLIElement {
  const quantity = props.cart.get(product.id) ?? 0;
  const inputId = `quantity-${idPart(product.id)}`;
  const input = h('input', {
    id: inputId,
    type: 'number',
    inputmode: 'numeric',
    min: 0,
    max: quantityLimit(product),
    step: 1,
    value: quantity,
    'data-testid': 'cart-quantity',
    disabled: props.locked,
  });
  input.addEventListener('change', () => props.onQuantity(product, input.valueAsNumber));
  const remove = h(
    'button',
    {
      type: 'button',
      id: `remove-${idPart(product.id)}`,
      'data-testid': 'remove-from-cart',
      'aria-label': `Remove ${product.name} from the cart`,
      disabled: props.locked,
    },
    'Remove',
  );
  remove.addEventListener('click', () => props.onRemove(product));
  return h(
    'li',
    { class: 'cart-line', 'data-testid': 'cart-line', 'data-product-id': product.id },
    h('label', { for: inputId }, `${product.name}, quantity`),
    input,
    h('span', { class: 'line-total' }, formatMoney(product.priceCents * quantity, product.currency)),
    remove,
  );
}
