import path from 'node:path';
import { expect, test } from '../src/fixtures.ts';

/** Where `harness e2e --screenshot` wants the README's picture of a confirmed order. */
const screenshotPath = process.env.HARNESS_E2E_SCREENSHOT;

test('the order page shows the notification once it has been sent', async ({ storefront, records, page, context }) => {
  await storefront.open();
  await storefront.addToCart('filter-500g');
  await storefront.addToCart('ceramic-cup-2');
  await storefront.placeOrder();
  await expect(storefront.orderStatus).toHaveAttribute('data-status', 'CONFIRMED');
  const orderId = await storefront.shownOrderId();

  // The page keeps following the order until the notification service has sent the e-mail.
  await expect(storefront.notificationItems).toHaveCount(1, { timeout: 20_000 });
  const sent = await records.notificationsOf(orderId);
  expect(sent).toEqual([expect.objectContaining({ kind: 'ORDER_CONFIRMED' })]);
  const [notification] = sent;
  await expect(storefront.notificationItems).toHaveAttribute('data-kind', 'ORDER_CONFIRMED');
  await expect(storefront.notificationItems).toContainText(notification?.subject ?? '?');
  await expect(storefront.notificationItems).toContainText(`email to ${notification?.recipient ?? '?'}`);
  await expect(page.getByTestId('degraded-note')).toBeHidden();

  // The order's own link, opened fresh, shows the same order and its one notification.
  const orderPage = await context.newPage();
  await orderPage.goto(page.url());
  await expect(orderPage.getByTestId('order-id')).toHaveText(orderId);
  await expect(orderPage.getByTestId('order-status')).toHaveAttribute('data-status', 'CONFIRMED');
  await expect(orderPage.getByTestId('notification-item')).toHaveCount(1);
  await expect(orderPage.getByTestId('notification-item')).toContainText(notification?.subject ?? '?');
  await orderPage.close();

  if (screenshotPath) {
    await page.getByTestId('order-section').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.resolve(screenshotPath), fullPage: true });
  }
});
