import { readdirSync, readFileSync } from 'node:fs';
import { outboxMigration, type Migration } from '@harness/kit';

const dir = new URL('./migrations/', import.meta.url);

/** The kit's outbox table, then the service's own `NNN_name.sql` files in name order. */
export function orderMigrations(): Migration[] {
  const own = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => ({ id: `order-${file.replace(/\.sql$/, '')}`, sql: readFileSync(new URL(file, dir), 'utf8') }));
  return [outboxMigration, ...own];
}
