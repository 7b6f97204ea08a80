import { expect, test } from '../src/fixtures.ts';

test('a double click on "Place order" makes exactly one order and one charge', async ({ storefront, records }) => {
  const since = new Date();
  const before = await records.stockOf('ceramic-cup-2');
  await storefront.open();
  await storefront.addToCart('ceramic-cup-2');
  await storefront.checkoutButton.dblclick();

  await expect(storefront.statusMessage).toHaveText('Order confirmed. Total €14.50.');
  await expect(storefront.orderStatus).toHaveAttribute('data-status', 'CONFIRMED');

  // Every request the page sent carried the attempt's one key.
  expect(storefront.sentOrderKeys.length).toBeGreaterThanOrEqual(1);
  expect(new Set(storefront.sentOrderKeys).size).toBe(1);
  // And the databases hold one order of this product since the click, charged once.
  const orders = await records.ordersOfProductSince('ceramic-cup-2', since);
  expect(orders).toEqual([
    expect.objectContaining({ status: 'CONFIRMED', idempotency_key: storefront.sentOrderKeys[0] }),
  ]);
  expect(await records.chargesOf(orders.map((order) => order.id))).toEqual([
    expect.objectContaining({ amount_cents: 1450 }),
  ]);
  expect(before.available - (await records.stockOf('ceramic-cup-2')).available).toBe(1);
});
