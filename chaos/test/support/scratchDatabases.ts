import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  createPool,
  migrate,
  outboxMigration,
  processedEventsMigration,
  type Migration,
  type Pool,
} from '@harness/kit';
import { REPO_ROOT } from '@harness/runtime';
import { infra } from '@harness/runtime/testing';
import pg from 'pg';
import type { Queryable, ServiceDatabase } from '../../src/invariants/Invariant.ts';

/** The SQL migrations a service ships, in file order (read from the service, never copied). */
function serviceSql(service: ServiceDatabase, folder = path.join('src', 'migrations')): Migration[] {
  const dir = path.join(REPO_ROOT, 'services', service, folder);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => ({ id: `${service}-${file}`, sql: readFileSync(path.join(dir, file), 'utf8') }));
}

/** Each service's schema as the service applies it at startup (its SQL plus the kit's tables). */
const schemas: Record<ServiceDatabase, () => Migration[]> = {
  order: () => [outboxMigration, ...serviceSql('order')],
  inventory: () => [...serviceSql('inventory'), processedEventsMigration],
  payment: () => serviceSql('payment'),
  notification: () => [processedEventsMigration, outboxMigration, ...serviceSql('notification')],
  // The gateway's order history read model (orders and their notifications).
  gateway: () => [processedEventsMigration, ...serviceSql('gateway', path.join('src', 'history', 'migrations'))],
};

export interface ScratchDatabases {
  db(service: ServiceDatabase): Queryable;
  pool(service: ServiceDatabase): Pool;
  /** Empties every table (the schemas stay). */
  reset(): Promise<void>;
  drop(): Promise<void>;
}

/**
 * Fresh databases on the test run's PostgreSQL with the real schemas of order, inventory,
 * payment, notification and the gateway's read model, for seeding consistent and deliberately violating rows.
 */
export async function scratchDatabases(): Promise<ScratchDatabases> {
  const admin = infra().postgres.url;
  const suffix = randomBytes(4).toString('hex');
  const pools = new Map<ServiceDatabase, Pool>();
  const names: string[] = [];
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    for (const service of Object.keys(schemas) as ServiceDatabase[]) {
      const name = `chaos_${service}_${suffix}`;
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      names.push(name);
      const url = new URL(admin);
      url.pathname = `/${name}`;
      const pool = createPool(url.toString(), { max: 3 });
      const schema = schemas[service];
      if (!schema) throw new Error(`no scratch schema for ${service}`);
      await migrate(pool, schema());
      pools.set(service, pool);
    }
  } finally {
    await client.end();
  }
  const poolOf = (service: ServiceDatabase): Pool => {
    const pool = pools.get(service);
    if (!pool) throw new Error(`no scratch database for ${service}`);
    return pool;
  };
  return {
    pool: poolOf,
    db: (service) => poolOf(service) as unknown as Queryable,
    async reset() {
      for (const pool of pools.values()) {
        const { rows } = await pool.query<{ tablename: string }>(
          `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`,
        );
        await pool.query(`TRUNCATE ${rows.map((row) => `"${row.tablename}"`).join(', ')} CASCADE`);
      }
    },
    async drop() {
      await Promise.all([...pools.values()].map((pool) => pool.end()));
      const dropper = new pg.Client({ connectionString: admin });
      await dropper.connect();
      try {
        for (const name of names)
          await dropper.query(`DROP DATABASE IF EXISTS ${dropper.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
