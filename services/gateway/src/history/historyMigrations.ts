import { loadSqlMigrations, processedEventsMigration, type Migration } from '@harness/kit';

/** The kit's processed-events table (the consumer's dedupe), then the read model's own tables. */
export function loadHistoryMigrations(): Migration[] {
  return [
    processedEventsMigration,
    ...loadSqlMigrations(new URL('./migrations/', import.meta.url), { idPrefix: 'gateway-' }),
  ];
}
