import type { Locator, Page } from '@playwright/test';

/** The payment test tokens the page offers as radio buttons (payment.yaml). */
export type PaymentToken = 'tok_approve' | 'tok_decline' | 'tok_slow';

/**
 * The storefront as a shopper uses it, by its data-testids. It also records the Idempotency-Key
 * of every `POST /orders` the page sends, so a flow can find exactly its own orders in the
 * databases.
 */
export class StorefrontPage {
  readonly page: Page;
  /** Idempotency-Keys of the checkout requests the page sent, in order. */
  readonly sentOrderKeys: string[] = [];
  readonly #baseUrl: string;

  constructor(page: Page, baseUrl: string) {
    this.page = page;
    this.#baseUrl = baseUrl;
    page.on('request', (request) => {
      if (request.method() !== 'POST' || !new URL(request.url()).pathname.endsWith('/orders')) return;
      const key = request.headers()['idempotency-key'];
      if (key !== undefined) this.sentOrderKeys.push(key);
    });
  }

  /** Opens the page (optionally an order's link, `#/orders/<id>`) and waits for the catalog. */
  async open(hash = ''): Promise<void> {
    await this.page.goto(`${this.#baseUrl}/${hash}`);
    await this.productCards.first().waitFor();
  }

  get productCards(): Locator {
    return this.page.getByTestId('product-card');
  }

  card(productId: string): Locator {
    return this.page.locator(`[data-testid="product-card"][data-product-id="${productId}"]`);
  }

  cartLine(productId: string): Locator {
    return this.page.locator(`[data-testid="cart-line"][data-product-id="${productId}"]`);
  }

  /** Clicks the product's "Add to cart" `times` times, waiting for the cart to count each one. */
  async addToCart(productId: string, times = 1): Promise<void> {
    for (let added = 1; added <= times; added += 1) {
      await this.card(productId).getByTestId('add-to-cart').click();
      await this.cartLine(productId)
        .getByTestId('cart-quantity')
        .and(this.page.locator(`[value="${added}"]`))
        .waitFor();
    }
  }

  async chooseCard(token: PaymentToken): Promise<void> {
    await this.page.locator(`[data-testid="payment-token"][value="${token}"]`).check();
  }

  get checkoutButton(): Locator {
    return this.page.getByTestId('checkout-button');
  }

  async placeOrder(): Promise<void> {
    await this.checkoutButton.click();
  }

  /** The success/info line of the checkout status region. */
  get statusMessage(): Locator {
    return this.page.getByTestId('checkout-status').getByTestId('status-message');
  }

  /** The error line of the checkout status region. */
  get errorMessage(): Locator {
    return this.page.getByTestId('checkout-status').getByTestId('error-message');
  }

  get retryButton(): Locator {
    return this.page.getByTestId('retry-button');
  }

  get orderId(): Locator {
    return this.page.getByTestId('order-id');
  }

  get orderStatus(): Locator {
    return this.page.getByTestId('order-status');
  }

  get notificationItems(): Locator {
    return this.page.getByTestId('notification-item');
  }

  /** The id of the order the page shows. */
  async shownOrderId(): Promise<string> {
    return (await this.orderId.textContent())?.trim() ?? '';
  }
}
