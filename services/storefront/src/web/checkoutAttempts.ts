import type { PlaceOrderRequest } from './gatewayTypes.ts';

/** One logical checkout attempt: the key and the exact body every send of it uses. */
export interface CheckoutAttempt {
  readonly key: string;
  readonly request: PlaceOrderRequest;
}

/**
 * How a send ended. `retryable`: the outcome is unknown or the gateway asked to come back later
 * (503, 429, network error, key still in flight): the next send of the same request must reuse the
 * key. `settled`: the gateway answered for good (confirmed, accepted, declined, out of stock,
 * rejected): a new checkout is a new attempt with a new key.
 */
export type SendResult = 'retryable' | 'settled';

export interface CheckoutAttempts {
  /**
   * The attempt to send for this request, or `undefined` while a send is in flight (a double
   * submit). A request equal to the last unsettled attempt reuses its key; any other request (the
   * cart or the payment token changed) or a checkout after a settled one starts a new attempt.
   */
  submit(request: PlaceOrderRequest): CheckoutAttempt | undefined;
  /** Re-sends the last attempt unchanged (same key, same body) if its last send was retryable. */
  retry(): CheckoutAttempt | undefined;
  /** Records how a send of `attempt` ended; ignored for an attempt that is no longer current. */
  finish(attempt: CheckoutAttempt, result: SendResult): void;
  /** True between `submit`/`retry` and `finish`. */
  readonly inFlight: boolean;
  /** The attempt that may be retried with its key, if any. */
  readonly retryable: CheckoutAttempt | undefined;
}

/** Tracks checkout attempts so that one logical attempt uses exactly one Idempotency-Key. */
export function createCheckoutAttempts(newKey: () => string): CheckoutAttempts {
  let current: { attempt: CheckoutAttempt; signature: string; settled: boolean } | undefined;
  let inFlight = false;

  const send = (attempt: CheckoutAttempt): CheckoutAttempt => {
    inFlight = true;
    return attempt;
  };

  return {
    submit(request) {
      if (inFlight) return undefined;
      const signature = requestSignature(request);
      if (current && !current.settled && current.signature === signature) return send(current.attempt);
      const attempt: CheckoutAttempt = { key: newKey(), request: structuredClone(request) };
      current = { attempt, signature, settled: false };
      return send(attempt);
    },
    retry() {
      if (inFlight || !current || current.settled) return undefined;
      return send(current.attempt);
    },
    finish(attempt, result) {
      if (!current || current.attempt !== attempt) return;
      inFlight = false;
      current.settled = result === 'settled';
    },
    get inFlight() {
      return inFlight;
    },
    get retryable() {
      return current && !current.settled && !inFlight ? current.attempt : undefined;
    },
  };
}

/** Two requests are the same attempt when their bodies are the same (the gateway compares bodies per key). */
function requestSignature(request: PlaceOrderRequest): string {
  return JSON.stringify({
    items: request.items.map((item) => [item.productId, item.quantity]),
    paymentToken: request.paymentToken,
  });
}
