import type { CatalogEntry } from './Product.ts';

export interface CatalogStock {
  /** Units of each regular product. */
  regular: number;
  /** Units of `p-bulk`, the product load tests order (large, so a long run does not sell out). */
  bulk: number;
  /** Units of `limited-grinder`, deliberately scarce so "out of stock" can be shown. */
  scarce: number;
}

/**
 * The reference catalog the service seeds at startup (products already present are left alone,
 * stock included).
 */
export function defaultCatalog(stock: CatalogStock): CatalogEntry[] {
  return [
    {
      id: 'p-bulk',
      sku: 'BULK-0001',
      name: 'Bulk coffee sample',
      description: 'The product load tests order.',
      priceCents: 100,
      currency: 'EUR',
      stock: stock.bulk,
    },
    {
      id: 'espresso-1kg',
      sku: 'COF-ESP-1000',
      name: 'Espresso beans 1 kg',
      description: 'Dark roast, whole beans.',
      priceCents: 1899,
      currency: 'EUR',
      stock: stock.regular,
    },
    {
      id: 'filter-500g',
      sku: 'COF-FIL-0500',
      name: 'Filter coffee 500 g',
      description: 'Medium roast, ground for filter.',
      priceCents: 899,
      currency: 'EUR',
      stock: stock.regular,
    },
    {
      id: 'moka-pot-6',
      sku: 'MOK-POT-0006',
      name: 'Moka pot, 6 cups',
      description: 'Aluminium stovetop coffee maker.',
      priceCents: 3450,
      currency: 'EUR',
      stock: stock.regular,
    },
    {
      id: 'milk-frother',
      sku: 'ACC-FRO-0001',
      name: 'Milk frother',
      description: 'Handheld, battery powered.',
      priceCents: 1299,
      currency: 'EUR',
      stock: stock.regular,
    },
    {
      id: 'ceramic-cup-2',
      sku: 'ACC-CUP-0002',
      name: 'Ceramic espresso cups, set of 2',
      description: 'Pre-warmed cups keep the crema.',
      priceCents: 1450,
      currency: 'EUR',
      stock: stock.regular,
    },
    {
      id: 'limited-grinder',
      sku: 'GRI-LTD-0001',
      name: 'Limited edition hand grinder',
      description: 'Conical burrs, numbered series.',
      priceCents: 12900,
      currency: 'EUR',
      stock: stock.scarce,
    },
  ];
}
