import { loadSqlMigrations, processedEventsMigration, type Migration } from '@harness/kit';

/**
 * The service's schema: the `NNN_name.sql` files next to this module, in name order, then the
 * kit's processed_events table of the idempotent consumer.
 */
export function loadMigrations(): Migration[] {
  return [...loadSqlMigrations(new URL('./migrations/', import.meta.url)), processedEventsMigration];
}
