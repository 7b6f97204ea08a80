import type { Order } from './gatewayTypes.ts';
import { formatMoney } from './money.ts';
import type { CheckoutOutcome } from './placeOrder.ts';

/** Where the checkout stands, as the page shows it. */
export type CheckoutView =
  | { phase: 'idle' }
  | { phase: 'sending'; retrying: boolean }
  /** `retryAt`: when an unavailable attempt may be retried (epoch ms), from Retry-After. */
  | { phase: 'done'; outcome: CheckoutOutcome; retryAt: number | undefined };

export interface CheckoutMessage {
  text: string;
  tone: 'info' | 'success' | 'error';
}

type CancellationReason = NonNullable<Order['cancellationReason']>;

const cancellationReasons: Record<CancellationReason, string> = {
  OUT_OF_STOCK: 'a product is out of stock',
  PAYMENT_DECLINED: 'the payment was declined',
  PAYMENT_UNAVAILABLE: 'the payment service was unavailable (you were not charged)',
  INVENTORY_UNAVAILABLE: 'the stock service was unavailable (you were not charged)',
  TIMEOUT: 'it could not be completed in time (you were not charged)',
};

/** Why an order was cancelled, in words (a reason this page does not know reads as unknown). */
export function describeCancellation(reason: string | undefined): string {
  return reason !== undefined && Object.hasOwn(cancellationReasons, reason)
    ? cancellationReasons[reason as CancellationReason]
    : 'of an unknown reason';
}

/** The one-line status announced for a checkout (undefined when there is nothing to say). */
export function checkoutMessage(view: CheckoutView): CheckoutMessage | undefined {
  switch (view.phase) {
    case 'idle':
      return undefined;
    case 'sending':
      return { text: view.retrying ? 'Trying your order again…' : 'Placing your order…', tone: 'info' };
    case 'done':
      return outcomeMessage(view.outcome, view.retryAt);
  }
}

function outcomeMessage(outcome: CheckoutOutcome, retryAt: number | undefined): CheckoutMessage {
  switch (outcome.kind) {
    case 'confirmed':
      return {
        text: `Order confirmed. Total ${formatMoney(outcome.order.totalCents, outcome.order.currency)}.`,
        tone: 'success',
      };
    case 'processing':
      return { text: 'Your order is being processed. Checking its status…', tone: 'info' };
    case 'cancelled':
      return {
        text: `Order cancelled because ${describeCancellation(outcome.order.cancellationReason)}.`,
        tone: 'error',
      };
    case 'out-of-stock':
      return {
        text: `Out of stock: ${sentence(outcome.message)} Change your cart and place the order again.`,
        tone: 'error',
      };
    case 'declined':
      return { text: `Payment declined: ${sentence(outcome.message)} Choose another card.`, tone: 'error' };
    case 'unavailable': {
      const wait = retryAt === undefined ? undefined : retryAfterText(outcome.retryAfterSeconds);
      if (outcome.cancelledOrder !== undefined) {
        return {
          text:
            `Your order was cancelled because ${describeCancellation(outcome.cancelledOrder.reason)}. ` +
            `Try again${wait ? ` in ${wait}` : ''}: a new order will be placed.`,
          tone: 'error',
        };
      }
      return {
        text: `The shop is temporarily unavailable, try again${wait ? ` in ${wait}` : ''}. ${sentence(outcome.message)}`,
        tone: 'error',
      };
    }
    case 'rejected':
      return { text: `The order was not accepted (${outcome.status}): ${sentence(outcome.message)}`, tone: 'error' };
  }
}

function retryAfterText(seconds: number | undefined): string | undefined {
  if (seconds === undefined || seconds <= 0) return undefined;
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

/** The text as a sentence: ends with a full stop unless it already ends with punctuation. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
