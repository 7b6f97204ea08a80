import { randomUUID } from 'node:crypto';
import type { SystemUnderTest } from './systemUnderTest.ts';

export interface LineItem {
  productId: string;
  quantity: number;
}

export interface ApiAnswer {
  status: number;
  body: { id?: string; code?: string; detail?: string } & Record<string, unknown>;
}

/**
 * Places an order through the gateway's public API the way another shopper's client would (its
 * own Idempotency-Key), to arrange what the page's shopper then runs into.
 */
export async function placeOrderViaApi(
  system: SystemUnderTest,
  items: readonly LineItem[],
  paymentToken = 'tok_approve',
): Promise<ApiAnswer> {
  const response = await fetch(`${system.apiUrl}/orders`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${system.apiKey}`,
      'content-type': 'application/json',
      'idempotency-key': `e2e-arrange-${randomUUID()}`,
    },
    body: JSON.stringify({ items, paymentToken }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as ApiAnswer['body']) : {} };
}
