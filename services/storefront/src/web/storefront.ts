import { addToCart, emptyCart, reconcileCart, removeFromCart, setQuantity, cartLineItems, type Cart } from './cart.ts';
import { createCheckoutAttempts, type CheckoutAttempt } from './checkoutAttempts.ts';
import type { CheckoutView } from './checkoutMessages.ts';
import { requiredElement } from './dom.ts';
import type { GatewayClient } from './gatewayClient.ts';
import type { OrderView, Product } from './gatewayTypes.ts';
import { newIdempotencyKey } from './idempotencyKey.ts';
import { trackOrder, type OrderTrackingUpdate, type OrderViewReader } from './orderTracking.ts';
import { defaultPaymentToken, type PaymentToken } from './paymentTokens.ts';
import { placeOrder, sendResultOf } from './placeOrder.ts';
import { summarizeProblem } from './problemDetails.ts';
import { orderIdFromHash, orderHash } from './orderRoute.ts';
import { renderCartPanel } from './views/cartPanel.ts';
import { renderCheckoutPanel, renderPaymentOptions, type CheckoutElements } from './views/checkoutPanel.ts';
import { renderOrderPanel, type OrderPanelState } from './views/orderPanel.ts';
import { renderProductList, type CatalogState } from './views/productList.ts';

export interface StorefrontElements extends CheckoutElements {
  productList: HTMLElement;
  cart: HTMLElement;
  orderSection: HTMLElement;
  order: HTMLElement;
}

export interface StorefrontOptions {
  /** How the order view is read (default: REST through the client; main.ts reads over GraphQL). */
  readOrder?: OrderViewReader;
  /** Idempotency-Key factory (a UUID per attempt by default). */
  newKey?: () => string;
  now?: () => number;
}

interface StorefrontState {
  catalog: CatalogState;
  /** The last products loaded (the cart is priced from them even while a reload fails). */
  products: readonly Product[];
  cart: Cart;
  paymentToken: PaymentToken;
  checkout: CheckoutView;
  order: OrderPanelState | undefined;
}

/** The elements of index.html the page renders into. */
export function findStorefrontElements(): StorefrontElements {
  return {
    productList: requiredElement('product-list-container', HTMLElement),
    cart: requiredElement('cart-container', HTMLElement),
    form: requiredElement('checkout-form', HTMLFormElement),
    paymentFieldset: requiredElement('payment-fieldset', HTMLFieldSetElement),
    checkoutButton: requiredElement('checkout-button', HTMLButtonElement),
    status: requiredElement('checkout-status', HTMLElement),
    retryButton: requiredElement('retry-button', HTMLButtonElement),
    orderSection: requiredElement('order-section', HTMLElement),
    order: requiredElement('order-container', HTMLElement),
  };
}

/** Wires the page: catalog, cart, checkout with one Idempotency-Key per attempt, and the order view. */
export function startStorefront(
  client: GatewayClient,
  elements: StorefrontElements,
  options: StorefrontOptions = {},
): void {
  const now = options.now ?? Date.now;
  const attempts = createCheckoutAttempts(options.newKey ?? newIdempotencyKey);
  const state: StorefrontState = {
    catalog: { status: 'loading' },
    products: [],
    cart: emptyCart,
    paymentToken: defaultPaymentToken,
    checkout: { phase: 'idle' },
    order: undefined,
  };
  let following: AbortController | undefined;
  let countdown: ReturnType<typeof setInterval> | undefined;

  const renderCatalog = (): void =>
    renderProductList(elements.productList, {
      catalog: state.catalog,
      cart: state.cart,
      onAdd: (product) => changeCart(addToCart(state.cart, product)),
      onReload: () => void loadCatalog(),
    });

  const renderCart = (): void =>
    renderCartPanel(elements.cart, {
      cart: state.cart,
      products: state.products,
      locked: attempts.inFlight,
      onQuantity: (product, quantity) => changeCart(setQuantity(state.cart, product, quantity)),
      onRemove: (product) => changeCart(removeFromCart(state.cart, product.id)),
    });

  const renderOrder = (): void => {
    elements.orderSection.hidden = state.order === undefined;
    const order = state.order;
    if (!order) return;
    renderOrderPanel(elements.order, {
      order,
      productNames: new Map(state.products.map((product) => [product.id, product.name])),
      onRefresh: () => followOrder(order.orderId, order.view, 0),
    });
  };

  const render = (): void => {
    renderCatalog();
    renderCart();
    renderCheckout();
    renderOrder();
  };

  const renderCheckout = (): void =>
    renderCheckoutPanel(elements, {
      checkout: state.checkout,
      cartIsEmpty: state.cart.size === 0,
      canRetry: attempts.retryable !== undefined,
      now: now(),
    });

  /** A changed cart (or card) is a new attempt: the last outcome and its retry button go away. */
  const changeCart = (next: Cart): void => {
    if (next === state.cart || attempts.inFlight) return;
    state.cart = next;
    if (state.checkout.phase === 'done') state.checkout = { phase: 'idle' };
    render();
  };

  /** Loads the catalog; a reload keeps showing the products already known until the answer arrives. */
  const loadCatalog = async (): Promise<void> => {
    if (state.catalog.status !== 'ready') {
      state.catalog = { status: 'loading' };
      renderCatalog();
    }
    let failure: string | undefined;
    try {
      const { data, error, response } = await client.GET('/products');
      if (data) {
        state.products = data.items;
        state.catalog = { status: 'ready', products: data.items };
        if (!attempts.inFlight) state.cart = reconcileCart(state.cart, data.items);
      } else {
        failure = summarizeProblem(error, response, `the shop answered ${response.status}.`).message;
      }
    } catch {
      failure = 'the shop could not be reached.';
    }
    if (failure !== undefined && state.catalog.status !== 'ready')
      state.catalog = { status: 'failed', message: failure };
    render();
  };

  const send = async (attempt: CheckoutAttempt, retrying: boolean): Promise<void> => {
    state.checkout = { phase: 'sending', retrying };
    render();
    const outcome = await placeOrder(client, attempt);
    attempts.finish(attempt, sendResultOf(outcome));
    const retryAt =
      outcome.kind === 'unavailable' && outcome.retryAfterSeconds !== undefined
        ? now() + outcome.retryAfterSeconds * 1000
        : undefined;
    state.checkout = { phase: 'done', outcome, retryAt };
    if (outcome.kind === 'confirmed') {
      state.cart = emptyCart;
      followOrder(outcome.order.id, { order: outcome.order, notifications: [], degraded: [] }, 1);
      void loadCatalog();
    } else if (outcome.kind === 'processing') {
      state.cart = emptyCart;
      followOrder(outcome.orderId, undefined, outcome.pollAfterSeconds);
    } else if (outcome.kind === 'out-of-stock') {
      void loadCatalog();
    } else if (outcome.kind === 'unavailable') {
      startCountdown(retryAt);
    }
    render();
  };

  const startCountdown = (retryAt: number | undefined): void => {
    clearInterval(countdown);
    if (retryAt === undefined) return;
    countdown = setInterval(() => {
      if (now() >= retryAt) clearInterval(countdown);
      renderCheckout();
    }, 250);
  };

  const followOrder = (orderId: string, view: OrderView | undefined, initialDelaySeconds: number): void => {
    following?.abort();
    const controller = new AbortController();
    following = controller;
    state.order = { orderId, view, note: undefined, following: true };
    if (orderIdFromHash(location.hash) !== orderId) history.replaceState(null, '', orderHash(orderId));
    renderOrder();
    const onUpdate = (update: OrderTrackingUpdate): void => {
      if (controller.signal.aborted || !state.order) return;
      state.order = { ...state.order, ...orderPanelUpdate(update) };
      settleProcessingCheckout(update);
      renderOrder();
      renderCheckout();
    };
    const tracking = {
      initialDelaySeconds,
      signal: controller.signal,
      ...(options.readOrder ? { read: options.readOrder } : {}),
    };
    void trackOrder(client, orderId, onUpdate, tracking).then((end) => {
      if (controller.signal.aborted || !state.order) return;
      const note =
        end === 'gave-up' ? 'The order is still being processed. Refresh later to see its outcome.' : state.order.note;
      state.order = { ...state.order, following: false, note };
      renderOrder();
    });
  };

  /** A 202 order that reached a terminal state becomes the checkout's outcome (and is announced). */
  const settleProcessingCheckout = (update: OrderTrackingUpdate): void => {
    const { checkout } = state;
    if (update.kind !== 'view' || checkout.phase !== 'done' || checkout.outcome.kind !== 'processing') return;
    const order = update.view.order;
    if (order.id !== checkout.outcome.orderId || order.status === 'PENDING') return;
    state.checkout = {
      phase: 'done',
      outcome: order.status === 'CONFIRMED' ? { kind: 'confirmed', order } : { kind: 'cancelled', order },
      retryAt: undefined,
    };
    void loadCatalog();
  };

  const checkout = (): void => {
    if (state.cart.size === 0) return;
    const attempt = attempts.submit({ items: cartLineItems(state.cart), paymentToken: state.paymentToken });
    if (attempt) void send(attempt, false);
  };

  const retry = (): void => {
    const attempt = attempts.retry();
    if (attempt) void send(attempt, true);
  };

  renderPaymentOptions(elements.paymentFieldset, state.paymentToken, (token) => {
    state.paymentToken = token;
    if (state.checkout.phase === 'done') state.checkout = { phase: 'idle' };
    renderCheckout();
  });
  elements.form.addEventListener('submit', (event) => {
    event.preventDefault();
    checkout();
  });
  elements.retryButton.addEventListener('click', retry);
  window.addEventListener('hashchange', () => {
    const orderId = orderIdFromHash(location.hash);
    if (orderId && orderId !== state.order?.orderId) followOrder(orderId, undefined, 0);
  });

  render();
  const linkedOrder = orderIdFromHash(location.hash);
  if (linkedOrder) followOrder(linkedOrder, undefined, 0);
  void loadCatalog();
}

function orderPanelUpdate(update: OrderTrackingUpdate): Partial<OrderPanelState> {
  switch (update.kind) {
    case 'view':
      return { view: update.view, note: undefined };
    case 'unavailable': {
      const wait = update.retryAfterSeconds === undefined ? '' : ` Checking again in ${update.retryAfterSeconds} s.`;
      return { note: `The order status is temporarily unavailable: ${update.message}${wait}` };
    }
    case 'failed':
      return { note: `The order cannot be shown: ${update.message}`, following: false };
  }
}
