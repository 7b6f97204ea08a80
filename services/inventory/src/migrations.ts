import { readdirSync, readFileSync } from 'node:fs';
import { processedEventsMigration, type Migration } from '@harness/kit';

const dir = new URL('./migrations/', import.meta.url);

/**
 * The service's schema: the `NNN_name.sql` files next to this module, in name order, then the
 * kit's processed_events table of the idempotent consumer.
 */
export function loadMigrations(): Migration[] {
  const own = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => ({ id: file.replace(/\.sql$/, ''), sql: readFileSync(new URL(file, dir), 'utf8') }));
  return [...own, processedEventsMigration];
}
