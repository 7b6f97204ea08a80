import { checkoutMessage, type CheckoutView } from '../checkoutMessages.ts';
import { h, setText } from '../dom.ts';
import { paymentTokens, type PaymentToken } from '../paymentTokens.ts';

export interface CheckoutElements {
  form: HTMLFormElement;
  paymentFieldset: HTMLFieldSetElement;
  checkoutButton: HTMLButtonElement;
  /** The polite live region: every checkout message is announced from here. */
  status: HTMLElement;
  retryButton: HTMLButtonElement;
}

export interface CheckoutPanelProps {
  checkout: CheckoutView;
  cartIsEmpty: boolean;
  /** The attempt's last send was retryable (the retry button re-sends it with its key). */
  canRetry: boolean;
  now: number;
}

/** Renders the payment choice once: one radio per test token. */
export function renderPaymentOptions(
  fieldset: HTMLFieldSetElement,
  selected: PaymentToken,
  onSelect: (token: PaymentToken) => void,
): void {
  const options = paymentTokens.map(({ token, label }) => {
    const input = h('input', {
      type: 'radio',
      name: 'payment-token',
      id: `payment-${token}`,
      value: token,
      'data-testid': 'payment-token',
      checked: token === selected,
    });
    input.addEventListener('change', () => {
      if (input.checked) onSelect(token);
    });
    return h('div', { class: 'payment-option' }, input, h('label', { for: input.id }, `${label} (${token})`));
  });
  fieldset.append(...options);
}

/** Updates the checkout button, the status region and the retry button for the current state. */
export function renderCheckoutPanel(elements: CheckoutElements, props: CheckoutPanelProps): void {
  const { checkout } = props;
  const sending = checkout.phase === 'sending';
  elements.form.setAttribute('aria-busy', String(sending));
  elements.checkoutButton.disabled = sending || props.cartIsEmpty;
  setText(elements.checkoutButton, sending ? 'Placing order…' : 'Place order');
  elements.paymentFieldset.disabled = sending;

  renderStatus(elements.status, checkout);

  const retryAt = checkout.phase === 'done' ? checkout.retryAt : undefined;
  const showRetry = props.canRetry && checkout.phase === 'done' && checkout.outcome.kind === 'unavailable';
  const secondsLeft = retryAt === undefined ? 0 : Math.ceil((retryAt - props.now) / 1000);
  elements.retryButton.hidden = !showRetry;
  elements.retryButton.disabled = !showRetry || secondsLeft > 0;
  setText(elements.retryButton, secondsLeft > 0 ? `Try again (in ${secondsLeft} s)` : 'Try again');
}

function renderStatus(status: HTMLElement, checkout: CheckoutView): void {
  const message = checkoutMessage(checkout);
  const key = message ? `${message.tone}:${message.text}` : '';
  if (status.dataset.messageKey === key) return;
  status.dataset.messageKey = key;
  status.dataset.tone = message?.tone ?? '';
  if (!message) {
    status.replaceChildren();
  } else if (message.tone === 'error') {
    status.replaceChildren(h('span', { class: 'error', 'data-testid': 'error-message' }, message.text));
  } else {
    status.replaceChildren(h('span', { 'data-testid': 'status-message' }, message.text));
  }
}
