import { Counter, Trend } from 'k6/metrics';

/** How a placed order ended, from the client's point of view. */
export const ORDER_OUTCOMES = [
  'confirmed',
  'declined',
  'out_of_stock',
  'cancelled',
  'unavailable',
  'rate_limited',
  'pending',
  'error',
] as const;
export type OrderOutcome = (typeof ORDER_OUTCOMES)[number];

/** Time from sending POST /orders until the order is seen CONFIRMED (polls of a 202 included). */
export const orderConfirmedLatency = new Trend('order_confirmed_latency', true);

/** Placed orders, tagged `outcome`. */
export const orders = new Counter('orders');

/** GET /orders/{id} polls needed for orders answered 202. */
export const orderPolls = new Counter('order_polls');
