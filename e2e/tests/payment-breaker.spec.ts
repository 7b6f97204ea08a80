import { expect, test } from '../src/fixtures.ts';
import { placeOrderViaApi } from '../src/gatewayApi.ts';
import { breakerTransitions } from '../src/resilienceLog.ts';
import type { SystemUnderTest } from '../src/systemUnderTest.ts';

/** Toxiproxy's proxy for L5, order → payment. */
const paymentLink = 'l5-order-payment';
/** Orders it may take to open the breaker (its threshold is 5 consecutive failures by default). */
const maxTrippingOrders = 15;

/** True while order's last payment breaker transition (in its whole log) was to open. */
async function paymentBreakerOpen(system: SystemUnderTest): Promise<boolean> {
  return (await breakerTransitions(system, 'payment', 0)).at(-1)?.to === 'open';
}

test.afterEach(async ({ toxiproxy }) => {
  await toxiproxy.restore(paymentLink);
});

test('while the payment breaker is open the page says "try again"; retrying after recovery makes exactly one order', async ({
  storefront,
  records,
  system,
  toxiproxy,
}) => {
  test.setTimeout(60_000);
  const since = Date.now();

  // Fault: L5 refuses connections; other shoppers' orders fail until order's breaker is open.
  await toxiproxy.setEnabled(paymentLink, false);
  for (let tries = 0; tries < maxTrippingOrders && !(await paymentBreakerOpen(system)); tries += 1) {
    const answer = await placeOrderViaApi(system, [{ productId: 'p-bulk', quantity: 1 }]);
    expect(answer.status, JSON.stringify(answer.body)).toBe(503);
  }
  expect(await paymentBreakerOpen(system), `the breaker did not open after ${maxTrippingOrders} failed orders`).toBe(
    true,
  );

  // The shopper checks out while the breaker is open: the order is cancelled because payment is
  // unavailable (the gateway names it), a clear "try again", no order charged.
  await storefront.open();
  await storefront.addToCart('milk-frother');
  await storefront.placeOrder();
  await expect(storefront.errorMessage).toContainText('payment service was unavailable (you were not charged)');
  await expect(storefront.errorMessage).toContainText('Try again');
  await expect(storefront.retryButton).toBeVisible();
  await expect(storefront.page.getByTestId('order-section')).toBeHidden();
  expect(storefront.sentOrderKeys).toHaveLength(1);
  const failed = await records.ordersWithKeys(storefront.sentOrderKeys);
  expect(failed.length).toBeLessThanOrEqual(1);
  expect(failed.every((order) => order.status === 'CANCELLED' && order.charge_id === null)).toBe(true);
  expect(await records.chargesOf(failed.map((order) => order.id))).toEqual([]);

  // Recovery: the link is back; once the breaker may probe again (half-open), the shopper retries.
  await toxiproxy.restore(paymentLink);
  const lastOpened = (await breakerTransitions(system, 'payment', 0)).filter((event) => event.to === 'open').at(-1);
  const halfOpenAt = (lastOpened?.atMs ?? Date.now()) + system.paymentBreakerHalfOpenMs;
  await storefront.page.waitForTimeout(Math.max(0, halfOpenAt - Date.now()) + 250);
  await expect(storefront.retryButton).toBeEnabled({ timeout: 10_000 });
  await storefront.retryButton.click();

  await expect(
    storefront.statusMessage,
    'the retry after recovery must go through, not replay the answer given while the breaker was open',
  ).toHaveText('Order confirmed. Total €12.99.', { timeout: 15_000 });
  await expect(storefront.orderStatus).toHaveAttribute('data-status', 'CONFIRMED');
  await expect(storefront.retryButton).toBeHidden();
  const shownId = await storefront.shownOrderId();

  // Exactly one order of this checkout attempt went through, charged once; nothing left pending.
  const orders = await records.ordersWithKeys(storefront.sentOrderKeys);
  const confirmed = orders.filter((order) => order.status === 'CONFIRMED');
  expect(confirmed.map((order) => order.id)).toEqual([shownId]);
  expect(orders.filter((order) => order.status === 'PENDING')).toEqual([]);
  expect(await records.chargesOf(orders.map((order) => order.id))).toEqual([
    expect.objectContaining({ order_id: shownId, amount_cents: 1299 }),
  ]);
  const transitions = await breakerTransitions(system, 'payment', since);
  expect(transitions.at(-1)?.to, JSON.stringify(transitions)).toBe('closed');
});
