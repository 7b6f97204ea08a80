import { AppError, type FieldError } from '@harness/kit';
import type { InventoryGateway, Product } from '../clients/inventoryGateway.ts';
import type { LineItem, OrderItem } from '../orders/Order.ts';

export interface PricedItems {
  items: OrderItem[];
  totalCents: number;
  currency: string;
}

export interface ProductCatalogOptions {
  /** How long a fetched catalog is used before it is fetched again. */
  ttlMs: number;
  /** A product missing from a catalog older than this triggers one refetch (new products). */
  refetchMissingAfterMs: number;
  now?: () => number;
}

/**
 * Prices line items from inventory's catalog (GET /products), cached briefly so placing an order
 * costs no extra round trip. When inventory cannot be reached, a stale catalog still prices
 * orders (the reservation decides availability anyway); without any catalog the order cannot be
 * priced and the caller answers 503. Unknown products are a 400 naming the offending item.
 */
export function createProductCatalog(inventory: InventoryGateway, options: ProductCatalogOptions) {
  const now = options.now ?? Date.now;
  let products: Map<string, Product> | undefined;
  let fetchedAt = 0;
  let inFlight: Promise<void> | undefined;
  let lastFailure: { reason: string; retryAfterSeconds?: number } | undefined;

  function refresh(): Promise<void> {
    inFlight ??= (async () => {
      try {
        const outcome = await inventory.listProducts();
        if (outcome.kind === 'products') {
          products = new Map(outcome.products.map((product) => [product.id, product]));
          fetchedAt = now();
          lastFailure = undefined;
        } else {
          lastFailure = outcome;
        }
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  }

  async function catalog(items: readonly LineItem[]): Promise<Map<string, Product>> {
    const age = now() - fetchedAt;
    const missing = products !== undefined && items.some((item) => !products?.has(item.productId));
    if (products === undefined || age >= options.ttlMs || (missing && age >= options.refetchMissingAfterMs)) {
      await refresh();
    }
    if (products === undefined) {
      throw new AppError('DEPENDENCY_UNAVAILABLE', {
        detail: `inventory is unavailable (${lastFailure?.reason ?? 'no catalog'}): the order cannot be priced`,
        retryAfterSeconds: lastFailure?.retryAfterSeconds ?? 1,
      });
    }
    return products;
  }

  return {
    async price(items: readonly LineItem[]): Promise<PricedItems> {
      const known = await catalog(items);
      const errors: FieldError[] = [];
      const priced: OrderItem[] = [];
      let currency: string | undefined;
      items.forEach((item, index) => {
        const product = known.get(item.productId);
        if (!product) {
          errors.push({ in: 'body', path: `/items/${index}/productId`, message: `unknown product ${item.productId}` });
          return;
        }
        currency ??= product.currency;
        if (product.currency !== currency) {
          errors.push({
            in: 'body',
            path: `/items/${index}/productId`,
            message: `priced in ${product.currency}, not ${currency}`,
          });
        }
        priced.push({ productId: item.productId, quantity: item.quantity, unitPriceCents: product.priceCents });
      });
      if (errors.length > 0 || currency === undefined) {
        const unknown = items.find((item) => !known.has(item.productId));
        throw new AppError('VALIDATION_FAILED', {
          detail: unknown ? `unknown product ${unknown.productId}` : 'the items must share one currency',
          errors,
          ...(unknown ? { extensions: { productId: unknown.productId } } : {}),
        });
      }
      const totalCents = priced.reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0);
      return { items: priced, totalCents, currency };
    },
  };
}

export type ProductCatalog = ReturnType<typeof createProductCatalog>;
