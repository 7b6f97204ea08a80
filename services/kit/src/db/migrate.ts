import type { Pool } from './pool.ts';
import { withClient } from './withTransaction.ts';

export interface Migration {
  /** Unique and stable: applied ids are recorded in schema_migrations. */
  id: string;
  sql: string;
}

/** Arbitrary constant: the advisory lock every migrating process of a database takes. */
const MIGRATION_LOCK_KEY = 727_310_001;

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in order, each in its own
 * transaction, under a PostgreSQL advisory lock so concurrent starts do not race. Idempotent:
 * running it again applies nothing. Returns the ids it applied.
 */
export async function migrate(pool: Pool, migrations: readonly Migration[]): Promise<string[]> {
  const ids = migrations.map((migration) => migration.id);
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate !== undefined) throw new Error(`duplicate migration id ${duplicate}`);

  return withClient(pool, async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const { rows } = await client.query<{ id: string }>('SELECT id FROM schema_migrations');
      const applied = new Set(rows.map((row) => row.id));
      const appliedNow: string[] = [];
      for (const migration of migrations) {
        if (applied.has(migration.id)) continue;
        try {
          await client.query('BEGIN');
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (id) VALUES ($1)', [migration.id]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(`migration ${migration.id} failed: ${(error as Error).message}`, { cause: error });
        }
        appliedNow.push(migration.id);
      }
      return appliedNow;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
}
