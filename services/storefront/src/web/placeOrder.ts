import type { CheckoutAttempt, SendResult } from './checkoutAttempts.ts';
import type { GatewayClient } from './gatewayClient.ts';
import type { Order } from './gatewayTypes.ts';
import { cancelledOrderOf, parseRetryAfter, summarizeProblem, type CancelledOrder } from './problemDetails.ts';

/** What one send of a checkout attempt came to, as the page shows it. */
export type CheckoutOutcome =
  | { kind: 'confirmed'; order: Order }
  | { kind: 'processing'; orderId: string; pollAfterSeconds: number }
  | { kind: 'out-of-stock'; message: string; productId: string | undefined }
  | { kind: 'declined'; message: string }
  /** `cancelledOrder`: the order was created, then cancelled because a dependency was unavailable. */
  | { kind: 'unavailable'; message: string; retryAfterSeconds: number | undefined; cancelledOrder?: CancelledOrder }
  | { kind: 'rejected'; status: number; message: string }
  /** Reached by following a `processing` order until the saga cancelled it. */
  | { kind: 'cancelled'; order: Order };

/** How long one checkout request may take before the page calls it unavailable (tok_slow takes ~5 s). */
const checkoutTimeoutMs = 30_000;
const defaultPollAfterSeconds = 1;

/** Only an `unavailable` outcome keeps the attempt's key for a retry. */
export function sendResultOf(outcome: CheckoutOutcome): SendResult {
  return outcome.kind === 'unavailable' ? 'retryable' : 'settled';
}

/** Sends `POST /orders` for one attempt with its Idempotency-Key. Never throws. */
export async function placeOrder(
  client: GatewayClient,
  attempt: CheckoutAttempt,
  timeoutMs: number = checkoutTimeoutMs,
): Promise<CheckoutOutcome> {
  let result;
  try {
    result = await client.POST('/orders', {
      params: { header: { 'Idempotency-Key': attempt.key } },
      body: attempt.request,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    return {
      kind: 'unavailable',
      message: 'The shop could not be reached. Try again: the same attempt is never charged twice.',
      retryAfterSeconds: undefined,
    };
  }
  const { data, error, response } = result;
  if (response.status === 201 && data && 'items' in data) return { kind: 'confirmed', order: data };
  if (response.status === 202) {
    const orderId = data && 'orderId' in data ? data.orderId : orderIdFromLocation(response.headers.get('Location'));
    if (orderId) {
      const pollAfterSeconds = parseRetryAfter(response.headers.get('Retry-After')) ?? defaultPollAfterSeconds;
      return { kind: 'processing', orderId, pollAfterSeconds };
    }
  }
  const problem = summarizeProblem(error, response, `The shop answered ${response.status}.`);
  if (response.status === 402) return { kind: 'declined', message: problem.message };
  if (response.status === 409 && problem.code === 'OUT_OF_STOCK') {
    return { kind: 'out-of-stock', message: problem.message, productId: problem.productId };
  }
  if (response.status === 503) {
    // A retry with the same key after Retry-After places a new order (the cancelled one stays).
    const cancelledOrder = cancelledOrderOf(error);
    return {
      kind: 'unavailable',
      message: problem.message,
      retryAfterSeconds: problem.retryAfterSeconds,
      ...(cancelledOrder === undefined ? {} : { cancelledOrder }),
    };
  }
  if (response.ok || response.status === 409 || response.status === 429 || response.status >= 500) {
    // 409 IDEMPOTENCY_CONFLICT: the first send of this key is still being processed.
    // A 2xx without a readable body: the outcome is unknown, and a replay with the same key tells.
    return { kind: 'unavailable', message: problem.message, retryAfterSeconds: problem.retryAfterSeconds };
  }
  return { kind: 'rejected', status: response.status, message: problem.message };
}

function orderIdFromLocation(location: string | null): string | undefined {
  const match = location ? /\/orders\/([^/?#]+)/.exec(location) : null;
  return match?.[1];
}
