import { createTestDatabase } from '@harness/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, type Migration } from '../src/db/migrate.ts';
import { createPool, type Pool } from '../src/db/pool.ts';
import { withTransaction } from '../src/db/withTransaction.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;

beforeAll(async () => {
  database = await createTestDatabase('kit_db');
  pool = createPool(database.url, { max: 5 });
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const migrations: Migration[] = [
  { id: '001-widgets', sql: 'CREATE TABLE widgets (id int PRIMARY KEY, name text NOT NULL)' },
  { id: '002-widget-colour', sql: "ALTER TABLE widgets ADD COLUMN colour text NOT NULL DEFAULT 'red'" },
];

describe('migrate', () => {
  it('applies pending migrations once and nothing on later runs', async () => {
    expect(await migrate(pool, migrations)).toEqual(['001-widgets', '002-widget-colour']);
    expect(await migrate(pool, migrations)).toEqual([]);
    const { rows } = await pool.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
    expect(rows.map((row) => row.id)).toEqual(['001-widgets', '002-widget-colour']);
  });

  it('is safe when several processes migrate at the same time', async () => {
    const more = [...migrations, { id: '003-gadgets', sql: 'CREATE TABLE gadgets (id int PRIMARY KEY)' }];
    const results = await Promise.all([migrate(pool, more), migrate(pool, more), migrate(pool, more)]);
    expect(results.flat()).toEqual(['003-gadgets']);
  });

  it('rolls back a failing migration entirely and records nothing for it', async () => {
    const broken = { id: '004-broken', sql: 'CREATE TABLE half_done (id int); SELECT no_such_function()' };
    await expect(migrate(pool, [...migrations, broken])).rejects.toThrow(/004-broken failed/);
    const { rows } = await pool.query(
      "SELECT to_regclass('half_done') AS table, (SELECT count(*) FROM schema_migrations WHERE id = '004-broken')::int AS recorded",
    );
    expect(rows[0]).toEqual({ table: null, recorded: 0 });
  });

  it('refuses duplicate migration ids', async () => {
    await expect(migrate(pool, [migrations[0]!, migrations[0]!])).rejects.toThrow(/duplicate migration id 001-widgets/);
  });
});

describe('withTransaction', () => {
  it('commits when the callback resolves', async () => {
    await withTransaction(pool, (tx) => tx.query("INSERT INTO widgets (id, name) VALUES (1, 'kept')"));
    const { rowCount } = await pool.query('SELECT 1 FROM widgets WHERE id = 1');
    expect(rowCount).toBe(1);
  });

  it('rolls back and rethrows when the callback throws', async () => {
    const failure = new Error('after the insert');
    await expect(
      withTransaction(pool, async (tx) => {
        await tx.query('INSERT INTO widgets (id, name) VALUES ($1, $2)', [2, 'lost']);
        throw failure;
      }),
    ).rejects.toBe(failure);
    const { rowCount } = await pool.query('SELECT 1 FROM widgets WHERE id = 2');
    expect(rowCount).toBe(0);
  });
});
