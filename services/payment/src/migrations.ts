import { loadSqlMigrations, type Migration } from '@harness/kit';

/** The service's schema: the `NNN_name.sql` files next to this module, in name order. */
export function loadMigrations(): Migration[] {
  return loadSqlMigrations(new URL('./migrations/', import.meta.url));
}
