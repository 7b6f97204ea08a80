import { check } from 'k6';
import http from 'k6/http';
import { Trend } from 'k6/metrics';

/**
 * py-shop's checkout under load: each iteration places an order with a fresh Idempotency-Key and
 * checks that it is confirmed (201) with the items it asked for. BASE_URL is the orders service
 * (the harness passes it); VUs, duration and thresholds come from the profile in harness.config.ts.
 */
const baseUrl = __ENV.BASE_URL ?? 'http://127.0.0.1:8000';
const confirmedMs = new Trend('checkout_confirmed_ms', true);

http.setResponseCallback(http.expectedStatuses(201));

export default function checkout(): void {
  const key = `load-${__VU}-${__ITER}-${Date.now()}`;
  const body = { items: [{ sku: 'tea', quantity: 1 + (__ITER % 3) }], amountCents: 1200, paymentToken: 'tok_approve' };
  const res = http.post(`${baseUrl}/orders`, JSON.stringify(body), {
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    tags: { endpoint: 'POST /orders' },
  });
  const placed = check(res, {
    'order confirmed (201)': (r) => r.status === 201,
    'answer names its items': (r) => {
      try {
        const items = (r.json() as { items?: Array<{ sku?: unknown; quantity?: unknown }> }).items ?? [];
        return items.length === 1 && items[0]?.sku === 'tea' && items[0]?.quantity === body.items[0]?.quantity;
      } catch {
        return false;
      }
    },
  });
  if (placed) confirmedMs.add(res.timings.duration);
}
