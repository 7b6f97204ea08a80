import { check } from 'k6';
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import type { LoadSettings } from './settings.k6.ts';
import { traceHeaders } from './traceContext.k6.ts';

/**
 * The gateway's public API (contracts/openapi/gateway.yaml) as k6 calls, each with a check on
 * the shape of its answer. Requests carry an `endpoint` tag so thresholds can single one out.
 */
export type Response = RefinedResponse<ResponseType | undefined>;

/** Business answers that are not failures (a decline or out-of-stock is a correct answer). */
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 299 }, 402, 409));

type Json = Record<string, unknown>;

export function jsonOf(res: Response): Json | undefined {
  try {
    const body = res.json();
    return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Json) : undefined;
  } catch {
    return undefined;
  }
}

function headers(settings: LoadSettings, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${settings.apiKey}`, Accept: 'application/json', ...traceHeaders(), ...extra };
}

const isProblem = (res: Response): boolean => {
  const body = jsonOf(res);
  return (
    String(res.headers['Content-Type'] ?? '').includes('application/problem+json') &&
    body !== undefined &&
    typeof body.title === 'string' &&
    body.status === res.status
  );
};

export interface Product {
  id: string;
  available: number;
}

export function listProducts(settings: LoadSettings): Product[] {
  const res = http.get(`${settings.baseUrl}/api/v1/products`, {
    headers: headers(settings),
    tags: { endpoint: 'list_products' },
  });
  const items = jsonOf(res)?.items;
  const products = Array.isArray(items) ? (items as Product[]) : [];
  check(res, {
    'products: 200': (r) => r.status === 200,
    'products: items have id, price and availability': () =>
      products.length > 0 &&
      products.every(
        (p) => typeof p.id === 'string' && typeof p.available === 'number' && 'priceCents' in (p as object),
      ),
  });
  return products;
}

export interface OrderItem {
  productId: string;
  quantity: number;
}

export function placeOrder(
  settings: LoadSettings,
  items: OrderItem[],
  paymentToken: string,
  idempotencyKey: string,
): Response {
  const res = http.post(`${settings.baseUrl}/api/v1/orders`, JSON.stringify({ items, paymentToken }), {
    headers: headers(settings, { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey }),
    tags: { endpoint: 'place_order' },
  });
  const body = jsonOf(res);
  check(res, {
    'place order: a contract status': (r) => [201, 202, 402, 409, 429, 503].includes(r.status),
    'place order: 201 is a CONFIRMED order with a Location': (r) =>
      r.status !== 201 ||
      (body?.status === 'CONFIRMED' &&
        typeof body.id === 'string' &&
        Array.isArray(body.items) &&
        !!r.headers.Location),
    'place order: 202 names the order and where to poll': (r) =>
      r.status !== 202 || (typeof body?.orderId === 'string' && typeof body.statusUrl === 'string'),
    'place order: errors are problem+json': (r) => r.status < 400 || isProblem(r),
  });
  return res;
}

export function getOrderView(settings: LoadSettings, orderId: string): Response {
  const res = http.get(`${settings.baseUrl}/api/v1/orders/${orderId}`, {
    headers: headers(settings),
    tags: { endpoint: 'get_order', name: `${settings.baseUrl}/api/v1/orders/{orderId}` },
  });
  const body = jsonOf(res);
  const order = body?.order as Json | undefined;
  check(res, {
    'order view: 200': (r) => r.status === 200,
    'order view: the order with notifications and degraded': () =>
      order?.id === orderId && Array.isArray(body?.notifications) && Array.isArray(body?.degraded),
  });
  return res;
}
