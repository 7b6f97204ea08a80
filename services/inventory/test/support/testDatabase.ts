import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { infra } from './infra.ts';

export interface TestDatabase {
  /** Superuser URL of the fresh database. */
  url: string;
  drop(): Promise<void>;
}

/** A fresh database on the test run's real PostgreSQL, for one test file. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const superuserUrl = infra().postgres.url;
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: superuserUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(superuserUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
