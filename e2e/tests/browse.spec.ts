import { expect, test } from '../src/fixtures.ts';

const euros = (cents: number): string =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(cents / 100);

test('lists every product inventory holds, with its price and availability', async ({ storefront, records }) => {
  await storefront.open();
  const products = await records.products();
  expect(products.length).toBeGreaterThan(0);
  await expect(storefront.productCards).toHaveCount(products.length);
  for (const product of products) {
    const card = storefront.card(product.id);
    await expect(card.getByTestId('product-name')).toHaveText(product.name);
    await expect(card.getByTestId('product-price')).toHaveText(euros(product.price_cents));
    if (product.available > 0) {
      await expect(card).not.toHaveAttribute('data-sold-out');
      await expect(card.getByTestId('product-availability')).toHaveText(`${product.available} available`);
      await expect(card.getByTestId('add-to-cart')).toBeEnabled();
    } else {
      await expect(card).toHaveAttribute('data-sold-out', '');
      await expect(card.getByTestId('add-to-cart')).toBeDisabled();
    }
  }
});

test('adding products fills the cart without placing an order', async ({ storefront, records }) => {
  const since = new Date();
  await storefront.open();
  await expect(storefront.page.getByTestId('cart-empty')).toBeVisible();
  await expect(storefront.checkoutButton).toBeDisabled();
  await storefront.addToCart('filter-500g', 2);
  await storefront.addToCart('milk-frother');
  await expect(storefront.page.getByTestId('cart-line')).toHaveCount(2);
  await expect(storefront.page.getByTestId('cart-total')).toHaveText(`Total: ${euros(2 * 899 + 1299)}`);
  await expect(storefront.checkoutButton).toBeEnabled();
  expect(storefront.sentOrderKeys).toEqual([]);
  expect(await records.ordersOfProductSince('filter-500g', since)).toEqual([]);
});
