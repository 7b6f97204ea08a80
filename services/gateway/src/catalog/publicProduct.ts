import type { GatewayComponents, InventoryComponents } from '@harness/contracts';

export type PublicProduct = GatewayComponents['schemas']['Product'];
type InventoryProduct = InventoryComponents['schemas']['Product'];

/** The public shape of a catalog product: only the fields the gateway contract names. */
export function toPublicProduct(product: InventoryProduct): PublicProduct {
  return {
    id: product.id,
    sku: product.sku,
    name: product.name,
    description: product.description,
    priceCents: product.priceCents,
    currency: product.currency,
    available: product.available,
  };
}
