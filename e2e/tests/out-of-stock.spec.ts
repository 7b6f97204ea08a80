import { expect, test } from '../src/fixtures.ts';
import { placeOrderViaApi } from '../src/gatewayApi.ts';

/** Seeded with 3 units (CATALOG_SCARCE_STOCK) so that it sells out. */
const scarce = 'limited-grinder';

test('an order for a product sold out meanwhile is refused as out of stock; nothing charged, nothing reserved', async ({
  storefront,
  records,
  system,
}) => {
  // Arrange: at least one unit on the shelf (an earlier run may have sold the last one).
  const shelf = await records.stockOf(scarce);
  if (shelf.available < 1) await records.restock(scarce, 1);

  await storefront.open();
  await expect(storefront.card(scarce)).not.toHaveAttribute('data-sold-out');
  await storefront.addToCart(scarce);

  // Another shopper buys every unit left before this one checks out (at most 100 per order).
  for (
    let left = (await records.stockOf(scarce)).available;
    left > 0;
    left = (await records.stockOf(scarce)).available
  ) {
    const rival = await placeOrderViaApi(system, [{ productId: scarce, quantity: Math.min(left, 100) }]);
    expect(rival.status, JSON.stringify(rival.body)).toBe(201);
  }

  await storefront.placeOrder();
  await expect(storefront.errorMessage).toContainText('Out of stock');
  await expect(storefront.errorMessage).toContainText('Change your cart and place the order again.');
  await expect(storefront.retryButton).toBeHidden();
  // The page reloads the catalog: the product now shows as sold out and cannot be added.
  await expect(storefront.card(scarce)).toHaveAttribute('data-sold-out', '');
  await expect(storefront.card(scarce).getByTestId('add-to-cart')).toBeDisabled();

  const orders = await records.ordersWithKeys(storefront.sentOrderKeys);
  expect(orders).toEqual([
    expect.objectContaining({ status: 'CANCELLED', cancellation_reason: 'OUT_OF_STOCK', charge_id: null }),
  ]);
  const refusedId = orders[0]?.id ?? '';
  expect(await records.chargesOf([refusedId])).toEqual([]);
  // Nothing is held for it (inventory may record the release of the cancelled order as a tombstone).
  expect(await records.reservationStatus(refusedId)).not.toBe('RESERVED');
  expect(await records.stockOf(scarce)).toMatchObject({ available: 0 });
});
