import type { InventoryComponents } from '@harness/contracts';

export type Product = InventoryComponents['schemas']['Product'];

/** A product to put in the catalog with its initial stock. */
export interface CatalogEntry extends Omit<Product, 'available'> {
  stock: number;
}
