import { callDependency, type DependencyError } from '@harness/kit';
import type { InventoryComponents, InventoryPaths } from '@harness/contracts';
import type { Client } from 'openapi-fetch';
import type { LineItem } from '../orders/Order.ts';

export type Product = InventoryComponents['schemas']['Product'];

/** Why a call gave no usable answer: the dependency is down, slow, or failed (5xx). */
export interface Unavailable {
  kind: 'unavailable';
  /** `timeout` and `network` mean the request may have been processed. */
  reason: string;
  retryAfterSeconds?: number;
}

type ReserveOutcome =
  | { kind: 'reserved' }
  | { kind: 'out_of_stock'; productId?: string; detail?: string }
  | { kind: 'unknown_product'; productId?: string }
  /** An answer that blames the request (400, 401, 422): a bug or a misconfiguration here. */
  | { kind: 'rejected'; status: number; detail: string }
  | Unavailable;

type ReleaseOutcome = { kind: 'released' } | { kind: 'not_reserved' } | { kind: 'failed'; detail: string };

type ProductsOutcome = { kind: 'products'; products: Product[] } | Unavailable;

/** L4: the order service's calls to inventory, as outcomes the saga can switch on. */
export interface InventoryGateway {
  listProducts(): Promise<ProductsOutcome>;
  reserve(orderId: string, items: LineItem[]): Promise<ReserveOutcome>;
  release(orderId: string): Promise<ReleaseOutcome>;
}

export function createInventoryGateway(client: Client<InventoryPaths>): InventoryGateway {
  return {
    async listProducts() {
      const result = await callDependency(() => client.GET('/products'));
      if (result.error) return unavailableFrom(result.error);
      return { kind: 'products', products: result.data.items };
    },

    async reserve(orderId, items) {
      const result = await callDependency(() =>
        client.PUT('/reservations/{orderId}', { params: { path: { orderId } }, body: { items } }),
      );
      if (!result.error) return { kind: 'reserved' };
      const error = result.error;
      if (error.kind === 'unavailable' || error.status >= 500 || error.status === 429) return unavailableFrom(error);
      const problem = error.problem;
      const productId = typeof problem?.productId === 'string' ? problem.productId : undefined;
      if (error.status === 409 && problem?.code === 'OUT_OF_STOCK') {
        return { kind: 'out_of_stock', ...optional('productId', productId), ...optional('detail', problem.detail) };
      }
      if (error.status === 404) return { kind: 'unknown_product', ...optional('productId', productId) };
      return {
        kind: 'rejected',
        status: error.status,
        detail: problem?.detail ?? problem?.title ?? `status ${error.status}`,
      };
    },

    async release(orderId) {
      const result = await callDependency(() =>
        client.POST('/reservations/{orderId}/release', { params: { path: { orderId } } }),
      );
      if (!result.error) return { kind: 'released' };
      if (result.error.kind === 'http' && result.error.status === 404) return { kind: 'not_reserved' };
      return { kind: 'failed', detail: describeError(result.error) };
    },
  };
}

export function unavailableFrom(error: DependencyError): Unavailable {
  const reason = error.kind === 'unavailable' ? error.reason : `status ${error.status}`;
  return { kind: 'unavailable', reason, ...optional('retryAfterSeconds', error.retryAfterSeconds) };
}

export function describeError(error: DependencyError): string {
  return error.kind === 'unavailable'
    ? error.reason
    : `status ${error.status}${error.problem ? ` ${error.problem.code}` : ''}`;
}

/** `{ [key]: value }` when the value is defined, else `{}` (exactOptionalPropertyTypes). */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
