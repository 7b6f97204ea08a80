import type { InventoryComponents } from '@harness/contracts';

/** A product and a quantity, as the order service requests them. */
export type LineItem = InventoryComponents['schemas']['LineItem'];

/** Requested items merged per product and sorted by product id. */
export interface MergedLineItems {
  productIds: string[];
  quantities: number[];
  /**
   * Canonical form (`espresso-1kg:2,moka-pot-6:1`): two requests ask for the same stock exactly
   * when their keys are equal, whatever the order or splitting of their lines.
   */
  key: string;
}

export function mergeLineItems(items: readonly LineItem[]): MergedLineItems {
  const totals = new Map<string, number>();
  for (const item of items) totals.set(item.productId, (totals.get(item.productId) ?? 0) + item.quantity);
  const productIds = [...totals.keys()].sort();
  const quantities = productIds.map((id) => totals.get(id) ?? 0);
  const key = productIds.map((id, index) => `${id}:${quantities[index]}`).join(',');
  return { productIds, quantities, key };
}
