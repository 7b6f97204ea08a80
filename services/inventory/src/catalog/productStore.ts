import type { Queryable } from '@harness/kit';
import type { CatalogEntry, Product } from './Product.ts';

interface ProductRow {
  id: string;
  sku: string;
  name: string;
  description: string;
  price_cents: number;
  currency: string;
  available: number;
}

const COLUMNS = 'id, sku, name, description, price_cents, currency, available';

function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    priceCents: row.price_cents,
    currency: row.currency,
    available: row.available,
  };
}

export async function listProducts(db: Queryable): Promise<Product[]> {
  const { rows } = await db.query<ProductRow>({
    name: 'list-products',
    text: `SELECT ${COLUMNS} FROM products ORDER BY id`,
  });
  return rows.map(toProduct);
}

export async function findProduct(db: Queryable, productId: string): Promise<Product | undefined> {
  const { rows } = await db.query<ProductRow>({
    name: 'find-product',
    text: `SELECT ${COLUMNS} FROM products WHERE id = $1`,
    values: [productId],
  });
  const row = rows[0];
  return row === undefined ? undefined : toProduct(row);
}

/**
 * Adds the products that are not in the catalog yet, with their initial stock. Products already
 * there keep their stock, so restarting the service never resets or breaks stock conservation.
 */
export async function seedCatalog(db: Queryable, entries: readonly CatalogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.query({
    text: `INSERT INTO products (id, sku, name, description, price_cents, currency, available)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::int[])
           ON CONFLICT (id) DO NOTHING`,
    values: [
      entries.map((e) => e.id),
      entries.map((e) => e.sku),
      entries.map((e) => e.name),
      entries.map((e) => e.description),
      entries.map((e) => e.priceCents),
      entries.map((e) => e.currency),
      entries.map((e) => e.stock),
    ],
  });
}
