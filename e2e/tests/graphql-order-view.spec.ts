import { expect, test } from '../src/fixtures.ts';

/** Toxiproxy's proxy for L8, gateway → notification. */
const notificationLink = 'l8-gateway-notification';
/** Toxiproxy's proxy for L10, storefront → gateway over GraphQL. */
const graphqlLink = 'l10-storefront-gateway';

test.afterEach(async ({ toxiproxy }) => {
  await toxiproxy.restore(notificationLink);
});

test('the order page reads the order over GraphQL and, with notification down, shows the order with a degraded note', async ({
  storefront,
  context,
  page,
  toxiproxy,
}) => {
  await storefront.open();
  await storefront.addToCart('filter-500g');
  await storefront.placeOrder();
  await expect(storefront.orderStatus).toHaveAttribute('data-status', 'CONFIRMED');
  const orderId = await storefront.shownOrderId();

  // Fault: L8 refuses connections; the gateway answers the order with notifications null and a
  // DEPENDENCY_UNAVAILABLE error at that path, which the page shows as a degraded note.
  await toxiproxy.setEnabled(notificationLink, false);
  const orderPage = await context.newPage();
  const answers: unknown[] = [];
  const origins: string[] = [];
  orderPage.on('response', async (response) => {
    if (response.url().endsWith('/api/graphql') && response.request().method() === 'POST') {
      origins.push(new URL(response.url()).host);
      answers.push(await response.json().catch(() => undefined));
    }
  });
  await orderPage.goto(page.url());
  await expect(orderPage.getByTestId('order-id')).toHaveText(orderId);
  await expect(orderPage.getByTestId('order-status')).toHaveAttribute('data-status', 'CONFIRMED');
  await expect(orderPage.getByTestId('degraded-note')).toContainText('notification service is unavailable');
  await expect.poll(() => answers.length).toBeGreaterThan(0);
  expect(answers[0]).toMatchObject({
    data: { order: { order: { id: orderId, status: 'CONFIRMED' }, notifications: null } },
    errors: [{ path: ['order', 'notifications'], extensions: { code: 'DEPENDENCY_UNAVAILABLE' } }],
  });
  // The page reads GraphQL through link L10's own proxy, not L1's (REST).
  expect(origins[0]).toBe(await toxiproxy.listenOf(graphqlLink));
  // Closed before its follow-up reads could open the gateway's notification breaker.
  await orderPage.close();
});
