import { readdirSync, readFileSync } from 'node:fs';

/** A schema change, applied once, in name order. */
export interface Migration {
  name: string;
  sql: string;
}

const dir = new URL('./migrations/', import.meta.url);

/** The service's migrations: the `NNN_name.sql` files next to this module. */
export function loadMigrations(): Migration[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => ({ name: file.replace(/\.sql$/, ''), sql: readFileSync(new URL(file, dir), 'utf8') }));
}
