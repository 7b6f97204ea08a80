import { createPool, migrate, type Pool } from '@harness/kit';
import { createTestDatabase } from '@harness/runtime/testing';
import { seedCatalog } from '../../src/catalog/productStore.ts';
import type { CatalogEntry } from '../../src/catalog/Product.ts';
import { loadMigrations } from '../../src/migrations.ts';

export interface InventoryDatabase {
  pool: Pool;
  url: string;
  close(): Promise<void>;
}

/** A fresh, migrated inventory database seeded with `catalog`; `close()` drops it. */
export async function inventoryDatabase(catalog: readonly CatalogEntry[]): Promise<InventoryDatabase> {
  const database = await createTestDatabase('inventory');
  const pool = createPool(database.url, { max: 20 });
  await migrate(pool, loadMigrations());
  await seedCatalog(pool, catalog);
  return {
    pool,
    url: database.url,
    close: async () => {
      await pool.end();
      await database.drop();
    },
  };
}
