import { loadSqlMigrations, outboxMigration, type Migration } from '@harness/kit';

/** The kit's outbox table, then the service's own `NNN_name.sql` files next to this module, in name order. */
export function loadMigrations(): Migration[] {
  return [outboxMigration, ...loadSqlMigrations(new URL('./migrations/', import.meta.url), { idPrefix: 'order-' })];
}
