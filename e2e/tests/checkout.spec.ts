import { expect, test } from '../src/fixtures.ts';

test('placing an order shows it confirmed; one order, one charge, the stock taken', async ({ storefront, records }) => {
  const before = await records.stockOf('espresso-1kg');
  await storefront.open();
  await storefront.addToCart('espresso-1kg', 2);
  await storefront.chooseCard('tok_approve');
  await storefront.placeOrder();

  await expect(storefront.statusMessage).toHaveText('Order confirmed. Total €37.98.');
  await expect(storefront.orderStatus).toHaveAttribute('data-status', 'CONFIRMED');
  await expect(storefront.page.getByTestId('order-total')).toHaveText('€37.98');
  await expect(storefront.page.getByTestId('cart-empty')).toBeVisible();
  await expect(storefront.page).toHaveURL(/#\/orders\/[0-9a-f-]{36}$/);
  const shownId = await storefront.shownOrderId();

  expect(storefront.sentOrderKeys).toHaveLength(1);
  const orders = await records.ordersWithKeys(storefront.sentOrderKeys);
  expect(orders).toHaveLength(1);
  const [order] = orders;
  expect(order).toMatchObject({
    id: shownId,
    status: 'CONFIRMED',
    total_cents: '3798',
    items: [expect.objectContaining({ productId: 'espresso-1kg', quantity: 2 })],
  });
  const charges = await records.chargesOf([shownId]);
  expect(charges).toEqual([expect.objectContaining({ id: order?.charge_id, amount_cents: 3798, refunded_cents: 0 })]);
  expect(await records.reservationStatus(shownId)).toBe('RESERVED');
  const after = await records.stockOf('espresso-1kg');
  expect(before.available - after.available).toBe(2);
});
