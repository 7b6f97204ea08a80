import type { QueryConfig, QueryResult } from 'pg';
import type { Pool } from './pool.ts';
import { withClient } from './withTransaction.ts';

export interface Migration {
  /** Unique and stable: applied ids are recorded in schema_migrations. */
  id: string;
  sql: string;
}

/** Arbitrary constant: the advisory lock every migrating process of a database takes. */
const MIGRATION_LOCK_KEY = 727_310_001;
/** Migrations (and waiting for another process's) may take longer than a request's query timeout. */
const MIGRATION_QUERY_TIMEOUT_MS = 10 * 60_000;

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in order, each in its own
 * transaction, under a PostgreSQL advisory lock so concurrent starts do not race. Idempotent:
 * running it again applies nothing. Returns the ids it applied. The pool's query and statement
 * timeouts do not apply to migrations.
 */
export async function migrate(pool: Pool, migrations: readonly Migration[]): Promise<string[]> {
  const ids = migrations.map((migration) => migration.id);
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate !== undefined) throw new Error(`duplicate migration id ${duplicate}`);

  return withClient(pool, async (client) => {
    // pg reads `query_timeout` from a query's config too (not in its types).
    const run = (text: string, values?: unknown[]): Promise<QueryResult> =>
      client.query({ text, values, query_timeout: MIGRATION_QUERY_TIMEOUT_MS } as QueryConfig);
    await run('SET statement_timeout = 0');
    await run('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await run(
        'CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const { rows } = await run('SELECT id FROM schema_migrations');
      const applied = new Set(rows.map((row: { id: string }) => row.id));
      const appliedNow: string[] = [];
      for (const migration of migrations) {
        if (applied.has(migration.id)) continue;
        try {
          await run('BEGIN');
          await run(migration.sql);
          await run('INSERT INTO schema_migrations (id) VALUES ($1)', [migration.id]);
          await run('COMMIT');
        } catch (error) {
          await run('ROLLBACK');
          throw new Error(`migration ${migration.id} failed: ${(error as Error).message}`, { cause: error });
        }
        appliedNow.push(migration.id);
      }
      return appliedNow;
    } finally {
      await run('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      await run('RESET statement_timeout');
    }
  });
}
