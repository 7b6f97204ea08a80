import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** The superuser URL of the PostgreSQL of this run (contract stage, or the workspace test run). */
function superuserUrl(): string {
  const provided = inject as (key: string) => unknown;
  const stage = provided('pactPostgresUrl') as string | undefined;
  if (stage) return stage;
  // The workspace run's global setup (runtime) provides the whole infrastructure.
  const infra = provided('infra') as { postgres: { url: string } } | undefined;
  if (infra) return infra.postgres.url;
  throw new Error('no PostgreSQL in this vitest run (run through pact/vitest.contracts.config.ts)');
}

export interface FreshDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A new, empty database for one test file (`<prefix>_<random>`), dropped by `drop()`. */
export async function freshDatabase(prefix: string): Promise<FreshDatabase> {
  const admin = superuserUrl();
  const name = `${prefix.replace(/[^a-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: admin });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${dropper.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
