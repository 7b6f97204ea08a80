import { loadSqlMigrations, outboxMigration, processedEventsMigration, type Migration } from '@harness/kit';

/**
 * The notification database: the kit's processed_events (consumer dedupe) and outbox (its
 * NotificationSent events), then the service's own `NNN_name.sql` files next to this module, in
 * name order.
 */
export function loadMigrations(): Migration[] {
  return [
    processedEventsMigration,
    outboxMigration,
    ...loadSqlMigrations(new URL('./migrations/', import.meta.url), { idPrefix: 'notification-' }),
  ];
}

/** `loadMigrations()`, read once (what the tests and the Pact stage migrate with). */
export const notificationMigrations: readonly Migration[] = loadMigrations();
