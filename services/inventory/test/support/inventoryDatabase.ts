import pg from 'pg';
import { seedCatalog } from '../../src/catalog/productStore.ts';
import type { CatalogEntry } from '../../src/catalog/Product.ts';
import { loadMigrations } from '../../src/migrations.ts';
import { createTestDatabase } from './testDatabase.ts';

export interface InventoryDatabase {
  pool: pg.Pool;
  url: string;
  close(): Promise<void>;
}

/** A fresh, migrated inventory database seeded with `catalog`. */
export async function inventoryDatabase(catalog: readonly CatalogEntry[]): Promise<InventoryDatabase> {
  const url = await createTestDatabase('inventory');
  const pool = new pg.Pool({ connectionString: url, max: 20 });
  for (const migration of loadMigrations()) await pool.query(migration.sql);
  await seedCatalog(pool, catalog);
  return { pool, url, close: () => pool.end() };
}
