import type { Queryable } from '@harness/kit';

export interface StockLevel {
  available: number;
  reserved: number;
}

/** Available and reserved units of every product, read straight from the database. */
export async function stockLevels(db: Queryable): Promise<Record<string, StockLevel>> {
  const { rows } = await db.query<{ id: string; available: number; reserved: number }>({
    text: 'SELECT id, available, reserved FROM products ORDER BY id',
  });
  return Object.fromEntries(rows.map((row) => [row.id, { available: row.available, reserved: row.reserved }]));
}
