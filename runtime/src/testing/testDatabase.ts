import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { infra } from './infra.ts';

export interface TestDatabase {
  /** `<prefix>_<random>`. */
  name: string;
  /** Superuser URL of the fresh database. */
  url: string;
  /** Drops the database, closing whatever connections are still open to it. */
  drop(): Promise<void>;
}

async function asSuperuser(superuserUrl: string, run: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    await run(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, empty database on the test run's real PostgreSQL for one test file, named
 * `<prefix>_<random>` (the prefix says whose it is, e.g. `inventory` or `kit_outbox`).
 */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const superuserUrl = infra().postgres.url;
  const name = `${prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_${randomBytes(6).toString('hex')}`;
  await asSuperuser(superuserUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  const url = new URL(superuserUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      asSuperuser(superuserUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`),
      ),
  };
}
