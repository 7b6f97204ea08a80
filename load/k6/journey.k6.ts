import { check, sleep } from 'k6';
import { orderConfirmedLatency, orderPolls, orders, type OrderOutcome } from './metrics.k6.ts';
import type { LoadSettings } from './settings.k6.ts';
import { getOrderView, jsonOf, listProducts, placeOrder, type Response } from './shopApi.k6.ts';
import { uuidV4 } from './uuid.k6.ts';

/**
 * One shopper: browse the catalog, place an order for the load product with a fresh
 * Idempotency-Key, then follow the order until it is terminal (one view for a 201, polls for a
 * 202). Records the order's outcome and, when confirmed, the latency until the shopper saw it.
 */
export function shopperJourney(settings: LoadSettings): OrderOutcome {
  const products = listProducts(settings);
  check(products, { 'catalog: lists the load product': (list) => list.some((p) => p.id === settings.productId) });

  const draw = Math.random();
  const paymentToken =
    draw < settings.declineRatio
      ? 'tok_decline'
      : draw < settings.declineRatio + settings.slowRatio
        ? 'tok_slow'
        : 'tok_approve';
  const started = Date.now();
  const res = placeOrder(settings, [{ productId: settings.productId, quantity: 1 }], paymentToken, uuidV4());
  const body = jsonOf(res);

  if (res.status === 201) {
    orderConfirmedLatency.add(Date.now() - started);
    orders.add(1, { outcome: 'confirmed' });
    if (typeof body?.id === 'string') getOrderView(settings, body.id);
    return 'confirmed';
  }
  if (res.status === 202 && typeof body?.orderId === 'string') {
    const outcome = pollUntilTerminal(settings, body.orderId, started);
    orders.add(1, { outcome });
    return outcome;
  }
  const outcome = outcomeOfStatus(res);
  orders.add(1, { outcome });
  return outcome;
}

function outcomeOfStatus(res: Response): OrderOutcome {
  switch (res.status) {
    case 402:
      return 'declined';
    case 409:
      return 'out_of_stock';
    case 429:
      return 'rate_limited';
    case 503:
      return 'unavailable';
    default:
      return 'error';
  }
}

function pollUntilTerminal(settings: LoadSettings, orderId: string, started: number): OrderOutcome {
  const deadline = started + settings.pollTimeoutMs;
  while (Date.now() < deadline) {
    sleep(settings.pollIntervalMs / 1000);
    orderPolls.add(1);
    const view = getOrderView(settings, orderId);
    const order = jsonOf(view)?.order as { status?: string; cancellationReason?: string } | undefined;
    if (order?.status === 'CONFIRMED') {
      orderConfirmedLatency.add(Date.now() - started);
      return 'confirmed';
    }
    if (order?.status === 'CANCELLED') {
      if (order.cancellationReason === 'PAYMENT_DECLINED') return 'declined';
      if (order.cancellationReason === 'OUT_OF_STOCK') return 'out_of_stock';
      return 'cancelled';
    }
  }
  return 'pending';
}
