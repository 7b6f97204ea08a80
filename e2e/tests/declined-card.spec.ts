import { expect, test } from '../src/fixtures.ts';

test('a declined card says so, charges nothing and gives the stock back; another card then works', async ({
  storefront,
  records,
}) => {
  const before = await records.stockOf('moka-pot-6');
  await storefront.open();
  await storefront.addToCart('moka-pot-6');
  await storefront.chooseCard('tok_decline');
  await storefront.placeOrder();

  await expect(storefront.errorMessage).toContainText('Payment declined');
  await expect(storefront.errorMessage).toContainText('Choose another card.');
  await expect(storefront.retryButton).toBeHidden();
  await expect(storefront.page.getByTestId('order-section')).toBeHidden();

  const [declinedKey] = storefront.sentOrderKeys;
  const declined = await records.ordersWithKeys([declinedKey ?? '']);
  expect(declined).toEqual([
    expect.objectContaining({ status: 'CANCELLED', cancellation_reason: 'PAYMENT_DECLINED', charge_id: null }),
  ]);
  const declinedId = declined[0]?.id ?? '';
  expect(await records.chargesOf([declinedId])).toEqual([]);
  expect(await records.reservationStatus(declinedId)).toBe('RELEASED');
  expect(await records.stockOf('moka-pot-6')).toEqual(before);

  // The same cart with another card is a new attempt (a new Idempotency-Key) and goes through.
  await storefront.chooseCard('tok_approve');
  await storefront.placeOrder();
  await expect(storefront.statusMessage).toHaveText('Order confirmed. Total €34.50.');
  expect(storefront.sentOrderKeys).toHaveLength(2);
  expect(storefront.sentOrderKeys[1]).not.toBe(declinedKey);
  const orders = await records.ordersWithKeys(storefront.sentOrderKeys);
  expect(orders.map((order) => order.status)).toEqual(['CANCELLED', 'CONFIRMED']);
  expect(await records.chargesOf(orders.map((order) => order.id))).toHaveLength(1);
});
