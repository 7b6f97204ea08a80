import type { GatewayClient } from './gatewayClient.ts';
import type { OrderView } from './gatewayTypes.ts';
import { summarizeProblem } from './problemDetails.ts';

/** What the order section shows while an order is followed. */
export type OrderTrackingUpdate =
  | { kind: 'view'; view: OrderView }
  | { kind: 'unavailable'; message: string; retryAfterSeconds: number | undefined }
  /** The order cannot be read (404, or a request the gateway rejects for good). */
  | { kind: 'failed'; message: string };

/** How following an order ended. */
export type OrderTrackingEnd = 'settled' | 'failed' | 'gave-up' | 'aborted';

/** One read of the order view (REST readOrderView by default; the page reads over GraphQL). */
export type OrderViewReader = (orderId: string, signal?: AbortSignal) => Promise<OrderTrackingUpdate>;

export interface OrderTrackingOptions {
  /** How the order view is read; default readOrderView with the client. */
  read?: OrderViewReader;
  /** Wait before the first read (the Retry-After of a 202); 0 reads at once. */
  initialDelaySeconds?: number;
  /** Reads after the order is terminal while it has no notification yet (they arrive by event). */
  notificationReads?: number;
  /** Stop following after this long (the saga's recovery bounds how long an order stays PENDING). */
  maxWaitMs?: number;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const firstPendingDelayMs = 500;
const maxPendingDelayMs = 5_000;
const notificationDelayMs = 1_000;
const unavailableDelayMs = 2_000;

/**
 * Reads `GET /orders/{id}` until the order is terminal (CONFIRMED or CANCELLED) and, for a few more
 * reads, until its first notification arrives. Pending orders are re-read with a growing delay;
 * a 429/503/network error waits for Retry-After. Never throws.
 */
export async function trackOrder(
  client: GatewayClient,
  orderId: string,
  onUpdate: (update: OrderTrackingUpdate) => void,
  options: OrderTrackingOptions = {},
): Promise<OrderTrackingEnd> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const deadline = now() + (options.maxWaitMs ?? 120_000);
  let notificationReadsLeft = options.notificationReads ?? 10;
  let pendingDelayMs = firstPendingDelayMs;
  let delayMs = (options.initialDelaySeconds ?? 0) * 1000;

  for (;;) {
    if (delayMs > 0) await sleep(delayMs);
    if (options.signal?.aborted) return 'aborted';
    const update = await (options.read ?? ((id, signal) => readOrderView(client, id, signal)))(orderId, options.signal);
    if (options.signal?.aborted) return 'aborted';
    onUpdate(update);
    if (update.kind === 'failed') return 'failed';
    if (update.kind === 'unavailable') {
      delayMs = (update.retryAfterSeconds ?? unavailableDelayMs / 1000) * 1000;
    } else if (update.view.order.status === 'PENDING') {
      delayMs = pendingDelayMs;
      pendingDelayMs = Math.min(pendingDelayMs * 2, maxPendingDelayMs);
    } else if (update.view.notifications.length === 0 && notificationReadsLeft > 0) {
      notificationReadsLeft -= 1;
      delayMs = notificationDelayMs;
    } else {
      return 'settled';
    }
    if (now() + delayMs > deadline) return 'gave-up';
  }
}

/** One read of the order view, as an update for the page. */
export async function readOrderView(
  client: GatewayClient,
  orderId: string,
  signal?: AbortSignal,
): Promise<OrderTrackingUpdate> {
  try {
    const { data, error, response } = await client.GET('/orders/{orderId}', {
      params: { path: { orderId } },
      ...(signal ? { signal } : {}),
    });
    if (data) return { kind: 'view', view: data };
    const problem = summarizeProblem(error, response, `The shop answered ${response.status}.`);
    if (response.status >= 400 && response.status < 500 && response.status !== 429) {
      return { kind: 'failed', message: problem.message };
    }
    return { kind: 'unavailable', message: problem.message, retryAfterSeconds: problem.retryAfterSeconds };
  } catch {
    return { kind: 'unavailable', message: 'The shop could not be reached.', retryAfterSeconds: undefined };
  }
}
