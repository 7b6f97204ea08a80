import type { Cart } from '../cart.ts';
import { quantityLimit } from '../cart.ts';
import { h, idPart, replaceChildrenKeepingFocus } from '../dom.ts';
import type { Product } from '../gatewayTypes.ts';
import { formatMoney } from '../money.ts';

/** The catalog as the page knows it. */
export type CatalogState =
  { status: 'loading' } | { status: 'ready'; products: readonly Product[] } | { status: 'failed'; message: string };

export interface ProductListProps {
  catalog: CatalogState;
  cart: Cart;
  onAdd: (product: Product) => void;
  onReload: () => void;
}

/** Renders the catalog: one card per product with price, availability and an add-to-cart button. */
export function renderProductList(container: HTMLElement, props: ProductListProps): void {
  const { catalog } = props;
  container.setAttribute('aria-busy', String(catalog.status === 'loading'));
  if (catalog.status === 'loading') {
    replaceChildrenKeepingFocus(container, [h('p', { 'data-testid': 'catalog-loading' }, 'Loading products…')]);
    return;
  }
  if (catalog.status === 'failed') {
    const reload = h('button', { type: 'button', id: 'reload-products', 'data-testid': 'reload-products' }, 'Reload');
    reload.addEventListener('click', props.onReload);
    replaceChildrenKeepingFocus(container, [
      h('p', { class: 'error', 'data-testid': 'catalog-error' }, `Products could not be loaded: ${catalog.message}`),
      reload,
    ]);
    return;
  }
  if (catalog.products.length === 0) {
    replaceChildrenKeepingFocus(container, [h('p', { 'data-testid': 'catalog-empty' }, 'No products yet.')]);
    return;
  }
  const list = h('ul', { class: 'product-list', 'data-testid': 'product-list' });
  for (const product of catalog.products) list.append(productCard(product, props));
  replaceChildrenKeepingFocus(container, [list]);
}

function productCard(product: Product, props: ProductListProps): HTMLLIElement {
  const soldOut = product.available <= 0;
  const inCart = props.cart.get(product.id) ?? 0;
  const limitReached = inCart >= quantityLimit(product);
  const nameId = `product-name-${idPart(product.id)}`;
  const availabilityId = `product-availability-${idPart(product.id)}`;
  const add = h(
    'button',
    {
      type: 'button',
      id: `add-${idPart(product.id)}`,
      'data-testid': 'add-to-cart',
      'aria-describedby': `${nameId} ${availabilityId}`,
      disabled: soldOut || limitReached,
    },
    soldOut ? 'Sold out' : limitReached ? 'All available in cart' : 'Add to cart',
  );
  add.addEventListener('click', () => props.onAdd(product));
  return h(
    'li',
    {
      class: soldOut ? 'product-card sold-out' : 'product-card',
      'data-testid': 'product-card',
      'data-product-id': product.id,
      'data-sold-out': soldOut,
    },
    h('h3', { id: nameId, 'data-testid': 'product-name' }, product.name),
    h('p', { class: 'description' }, product.description),
    h('p', { class: 'price', 'data-testid': 'product-price' }, formatMoney(product.priceCents, product.currency)),
    h(
      'p',
      { id: availabilityId, class: 'availability', 'data-testid': 'product-availability' },
      soldOut ? 'Sold out' : `${product.available} available`,
    ),
    add,
  );
}
