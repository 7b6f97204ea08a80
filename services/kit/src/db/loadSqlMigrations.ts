import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Migration } from './migrate.ts';

export interface SqlMigrationsOptions {
  /** Prepended to every id (`order-` → `order-001_create_orders`). Default none. */
  idPrefix?: string;
}

/**
 * The `NNN_name.sql` files of a folder as migrations, in file-name order, with the file name
 * (without `.sql`) as id: `loadSqlMigrations(new URL('./migrations/', import.meta.url))`.
 * Ids are recorded once applied, so never rename an applied file.
 */
export function loadSqlMigrations(folder: URL | string, options: SqlMigrationsOptions = {}): Migration[] {
  const dir = folder instanceof URL ? fileURLToPath(folder) : folder;
  const prefix = options.idPrefix ?? '';
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => ({
      id: `${prefix}${file.replace(/\.sql$/, '')}`,
      sql: readFileSync(path.join(dir, file), 'utf8'),
    }));
}
