import { readdirSync, readFileSync } from 'node:fs';
import type { Migration } from '@harness/kit';

const dir = new URL('./migrations/', import.meta.url);

/** The service's schema: the `NNN_name.sql` files next to this module, in name order. */
export function loadMigrations(): Migration[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => ({ id: file.replace(/\.sql$/, ''), sql: readFileSync(new URL(file, dir), 'utf8') }));
}
