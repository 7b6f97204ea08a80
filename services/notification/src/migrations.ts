import { readFileSync } from 'node:fs';
import { processedEventsMigration, type Migration } from '@harness/kit';

function sqlFile(name: string): string {
  return readFileSync(new URL(`./migrations/${name}`, import.meta.url), 'utf8');
}

/** The notification database: the kit's processed_events (consumer dedupe) and notifications. */
export const notificationMigrations: readonly Migration[] = [
  processedEventsMigration,
  { id: 'notification-001-notifications', sql: sqlFile('001_notifications.sql') },
];
