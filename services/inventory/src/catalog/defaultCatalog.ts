import type { CatalogEntry } from './Product.ts';

/**
 * The reference catalog the service seeds at startup (products already present are left alone).
 * Every product starts with `stock` units; `limited-grinder` is deliberately scarce so that
 * "out of stock" can be shown without exhausting the rest of the catalog.
 */
export function defaultCatalog(stock: number, scarceStock: number): CatalogEntry[] {
  return [
    {
      id: 'espresso-1kg',
      sku: 'COF-ESP-1000',
      name: 'Espresso beans 1 kg',
      description: 'Dark roast, whole beans.',
      priceCents: 1899,
      currency: 'EUR',
      stock,
    },
    {
      id: 'filter-500g',
      sku: 'COF-FIL-0500',
      name: 'Filter coffee 500 g',
      description: 'Medium roast, ground for filter.',
      priceCents: 899,
      currency: 'EUR',
      stock,
    },
    {
      id: 'moka-pot-6',
      sku: 'MOK-POT-0006',
      name: 'Moka pot, 6 cups',
      description: 'Aluminium stovetop coffee maker.',
      priceCents: 3450,
      currency: 'EUR',
      stock,
    },
    {
      id: 'milk-frother',
      sku: 'ACC-FRO-0001',
      name: 'Milk frother',
      description: 'Handheld, battery powered.',
      priceCents: 1299,
      currency: 'EUR',
      stock,
    },
    {
      id: 'ceramic-cup-2',
      sku: 'ACC-CUP-0002',
      name: 'Ceramic espresso cups, set of 2',
      description: 'Pre-warmed cups keep the crema.',
      priceCents: 1450,
      currency: 'EUR',
      stock,
    },
    {
      id: 'limited-grinder',
      sku: 'GRI-LTD-0001',
      name: 'Limited edition hand grinder',
      description: 'Conical burrs, numbered series.',
      priceCents: 12900,
      currency: 'EUR',
      stock: scarceStock,
    },
  ];
}
