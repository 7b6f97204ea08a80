import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { buildAssets } from '../src/server/assetBuild.ts';
import { loadAssetBundle, type AssetBundle } from '../src/server/assetBundle.ts';
import { launchChromium } from './support/chromium.ts';
import { confirmationNotification, espresso, grinder, order, orderId, orderView } from './support/fixtures.ts';
import { problemReply, startGatewayStub, type GatewayStubOptions, type StubReply } from './support/gatewayStub.ts';
import { listen } from './support/listen.ts';

const apiKey = 'demo_browser_test_key';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let browser: Browser | undefined;
/** Why Chromium could not start: every test then fails with it (a missing browser never skips). */
let launchFailure: unknown;
let assets: AssetBundle;
let distDir: string;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  try {
    browser = await launchChromium();
  } catch (error) {
    launchFailure = error;
  }
  distDir = await mkdtemp(path.join(tmpdir(), 'storefront-browser-dist-'));
  await buildAssets(distDir);
  assets = await loadAssetBundle(distDir);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await browser?.close();
  if (distDir) await rm(distDir, { recursive: true, force: true });
});

/** The real storefront server (real Vite build) in front of a gateway stub, and a fresh page on it. */
async function openStorefront(gateway: Omit<GatewayStubOptions, 'apiKey' | 'products'>, pagePath = '/') {
  if (!browser) throw launchFailure;
  const stub = await startGatewayStub({ apiKey, products: [espresso, grinder], ...gateway });
  cleanups.push(stub.close);
  const storefront = await listen(buildApp({ config: { gatewayUrl: stub.url, apiKey }, assets }));
  cleanups.push(storefront.close);
  const context = await browser.newContext();
  cleanups.push(() => context.close());
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.goto(`${storefront.url}${pagePath}`);
  await page.getByTestId('product-card').first().waitFor();
  return { page, stub, pageErrors };
}

function card(page: Page, productId: string) {
  return page.locator(`[data-testid="product-card"][data-product-id="${productId}"]`);
}

async function textOf(page: Page, testId: string): Promise<string> {
  const locator = page.getByTestId(testId);
  await locator.waitFor();
  return (await locator.textContent()) ?? '';
}

const confirmed = (): StubReply => ({
  status: 201,
  body: order('CONFIRMED'),
  headers: { Location: `/api/v1/orders/${orderId}` },
});

describe('storefront in Chromium', () => {
  it('lists products with price and availability, and shows a sold-out product as such', async () => {
    const { page, pageErrors } = await openStorefront({ placeOrder: confirmed });
    expect(await card(page, espresso.id).getByTestId('product-name').textContent()).toBe(espresso.name);
    expect(await card(page, espresso.id).getByTestId('product-price').textContent()).toBe('€24.00');
    expect(await card(page, espresso.id).getByTestId('product-availability').textContent()).toBe('10 available');
    expect(await card(page, grinder.id).getByTestId('product-availability').textContent()).toBe('Sold out');
    expect(await card(page, grinder.id).getByTestId('add-to-cart').isDisabled()).toBe(true);
    expect(await page.getByTestId('checkout-button').isDisabled()).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('places an order with exactly one POST and one Idempotency-Key even after a double-click', async () => {
    const { page, stub, pageErrors } = await openStorefront({
      placeOrder: () => ({ ...confirmed(), delayMs: 400 }),
      orderView: () => ({ status: 200, body: orderView('CONFIRMED', { notifications: [confirmationNotification()] }) }),
    });
    await card(page, espresso.id).getByTestId('add-to-cart').click();
    await page.getByTestId('checkout-button').dblclick();

    expect(await textOf(page, 'order-id')).toBe(orderId);
    expect(await textOf(page, 'order-total')).toBe('€24.00');
    expect(await textOf(page, 'status-message')).toContain('Order confirmed');
    await page.getByTestId('notification-item').waitFor();
    expect(await page.getByTestId('notification-item').textContent()).toContain('Your order is confirmed');

    const posts = stub.orderPosts();
    expect(posts).toHaveLength(1);
    expect(posts[0]?.headers['idempotency-key']).toMatch(uuid);
    expect(posts[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(posts[0]?.body).toEqual({ items: [{ productId: espresso.id, quantity: 1 }], paymentToken: 'tok_approve' });
    expect(pageErrors).toEqual([]);
  });

  it('retries a 503 with the same key, and a changed cart gets a new key', async () => {
    const unavailable = problemReply(503, 'DEPENDENCY_UNAVAILABLE', {
      detail: 'Payment is unavailable',
      retryAfterSeconds: 1,
    });
    const { page, stub } = await openStorefront({
      placeOrder: (_request, index) => (index < 2 ? { ...unavailable, headers: { 'Retry-After': '1' } } : confirmed()),
      orderView: () => ({ status: 200, body: orderView('CONFIRMED') }),
    });
    await card(page, espresso.id).getByTestId('add-to-cart').click();
    await page.getByTestId('checkout-button').click();

    expect(await textOf(page, 'error-message')).toContain('temporarily unavailable, try again in 1 second');
    await page.getByTestId('retry-button').click(); // waits until the Retry-After delay has passed
    await expect.poll(() => stub.orderPosts().length).toBe(2);
    await page.getByTestId('retry-button').waitFor();

    await card(page, espresso.id).getByTestId('add-to-cart').click();
    expect(await page.getByTestId('retry-button').isHidden()).toBe(true);
    await page.getByTestId('checkout-button').click();
    expect(await textOf(page, 'order-id')).toBe(orderId);

    const [first, retry, changed] = stub.orderPosts();
    expect(first?.headers['idempotency-key']).toMatch(uuid);
    expect(retry?.headers['idempotency-key']).toBe(first?.headers['idempotency-key']);
    expect(retry?.body).toEqual(first?.body);
    expect(changed?.headers['idempotency-key']).toMatch(uuid);
    expect(changed?.headers['idempotency-key']).not.toBe(first?.headers['idempotency-key']);
    expect(changed?.body).toEqual({ items: [{ productId: espresso.id, quantity: 2 }], paymentToken: 'tok_approve' });
  });

  it('follows a 202 order until it is confirmed, noting degraded notifications meanwhile', async () => {
    const accepted = { orderId, status: 'PENDING', statusUrl: `/api/v1/orders/${orderId}` };
    const views = [
      orderView('PENDING'),
      orderView('CONFIRMED', { degraded: ['notification'] }),
      orderView('CONFIRMED', { notifications: [confirmationNotification()] }),
    ];
    const { page } = await openStorefront({
      placeOrder: () => ({
        status: 202,
        body: accepted,
        headers: { 'Retry-After': '0', Location: accepted.statusUrl },
      }),
      orderView: (_id, index) => ({ status: 200, body: views[Math.min(index, views.length - 1)] }),
    });
    await card(page, espresso.id).getByTestId('add-to-cart').click();
    await page.getByTestId('checkout-button').click();

    expect(await textOf(page, 'order-id')).toBe(orderId);
    await page.getByTestId('degraded-note').waitFor();
    await page.locator('[data-testid="order-status"][data-status="CONFIRMED"]').waitFor();
    await page.getByTestId('notification-item').waitFor();
    expect(await page.getByTestId('degraded-note').count()).toBe(0);
    expect(await textOf(page, 'status-message')).toContain('Order confirmed');
    expect(page.url()).toContain(`#/orders/${orderId}`);
  });

  it('shows a declined payment with the chosen test card, and out of stock from the gateway', async () => {
    const { page, stub } = await openStorefront({
      placeOrder: (request) =>
        (request.body as { paymentToken?: string }).paymentToken === 'tok_decline'
          ? problemReply(402, 'PAYMENT_DECLINED', { detail: 'The card was declined' })
          : problemReply(409, 'OUT_OF_STOCK', {
              detail: 'Espresso beans 1 kg is out of stock',
              productId: espresso.id,
            }),
    });
    await card(page, espresso.id).getByTestId('add-to-cart').click();
    await page.getByLabel('Test card: declined (tok_decline)').check();
    await page.getByTestId('checkout-button').click();
    expect(await textOf(page, 'error-message')).toBe('Payment declined: The card was declined. Choose another card.');
    expect(await page.getByTestId('retry-button').isHidden()).toBe(true);

    await page.getByLabel('Test card: approved (tok_approve)').check();
    await page.getByTestId('checkout-button').click();
    await page.getByText('Out of stock: Espresso beans 1 kg is out of stock.').waitFor();

    const [declined, outOfStock] = stub.orderPosts();
    expect((declined?.body as { paymentToken: string }).paymentToken).toBe('tok_decline');
    expect(outOfStock?.headers['idempotency-key']).not.toBe(declined?.headers['idempotency-key']);
  });

  it('shows an order from its link over GraphQL, with the notification service degraded', async () => {
    const { page, stub } = await openStorefront(
      {
        placeOrder: confirmed,
        orderView: () => ({ status: 200, body: orderView('CANCELLED', { degraded: ['notification'] }) }),
      },
      `/#/orders/${orderId}`,
    );
    await page.locator('[data-testid="order-status"][data-status="CANCELLED"]').waitFor();
    expect(await textOf(page, 'order-id')).toBe(orderId);
    expect(await textOf(page, 'degraded-note')).toContain('notification service is unavailable');
    expect(stub.orderPosts()).toHaveLength(0);
    // The page reads the view with the generated OrderView operation, never the REST view.
    expect(stub.requests.filter((request) => request.path.startsWith('/api/v1/orders/'))).toEqual([]);
    const graphqlReads = stub.requests.filter(
      (request) => request.method === 'POST' && request.path === '/api/graphql',
    );
    expect(graphqlReads[0]?.body).toMatchObject({ operationName: 'OrderView', variables: { id: orderId } });
  });
});
