import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';

describe('shared test infrastructure', () => {
  it('hands every test a reachable database per service through its proxy', async () => {
    const infra = inject('infra');
    const client = new pg.Client({ connectionString: infra.services.inventory?.databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ db: string }>('select current_database() as db');
    await client.end();
    expect(rows[0]?.db).toBe('svc_inventory');
  });
});
