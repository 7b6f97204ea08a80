import { createHash } from 'node:crypto';
import type { LineItem } from './Order.ts';

/** A place-order request body, as validated against the spec. */
export interface PlaceOrderBody {
  items: LineItem[];
  paymentToken: string;
}

/**
 * The hash that tells "same body" from "different body" for an Idempotency-Key. Built from the
 * fields in a fixed order, so JSON key order and whitespace do not matter; item order does.
 */
export function requestFingerprint(body: PlaceOrderBody): string {
  const canonical = JSON.stringify([body.items.map((item) => [item.productId, item.quantity]), body.paymentToken]);
  return createHash('sha256').update(canonical).digest('base64url');
}
