import type { CatalogEntry } from '../../src/catalog/Product.ts';

/** A small catalog with known stock for tests. */
export function testCatalog(stock: { espresso?: number; moka?: number; grinder?: number } = {}): CatalogEntry[] {
  return [
    {
      id: 'espresso-1kg',
      sku: 'COF-ESP-1000',
      name: 'Espresso beans 1 kg',
      description: 'Dark roast, whole beans.',
      priceCents: 1899,
      currency: 'EUR',
      stock: stock.espresso ?? 42,
    },
    {
      id: 'moka-pot-6',
      sku: 'MOK-POT-0006',
      name: 'Moka pot, 6 cups',
      description: 'Aluminium stovetop coffee maker.',
      priceCents: 3450,
      currency: 'EUR',
      stock: stock.moka ?? 7,
    },
    {
      id: 'limited-grinder',
      sku: 'GRI-LTD-0001',
      name: 'Limited edition hand grinder',
      description: 'Conical burrs, numbered series.',
      priceCents: 12900,
      currency: 'EUR',
      stock: stock.grinder ?? 2,
    },
  ];
}
