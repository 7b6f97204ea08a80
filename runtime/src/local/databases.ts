import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ServiceDatabase {
  database: string;
  role: string;
  password: string;
}

/**
 * A database and a login role of its own for one service. Only that role may connect to it, so
 * no service can read another's tables.
 */
export async function createServiceDatabase(superuserUrl: string, service: string): Promise<ServiceDatabase> {
  const name = `svc_${service.replace(/[^a-z0-9_]/g, '_')}`;
  const password = randomBytes(12).toString('hex');
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    const ident = client.escapeIdentifier(name);
    await client.query(`CREATE ROLE ${ident} LOGIN PASSWORD ${client.escapeLiteral(password)}`);
    await client.query(`CREATE DATABASE ${ident} OWNER ${ident}`);
    await client.query(`REVOKE ALL ON DATABASE ${ident} FROM PUBLIC`);
    await client.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${ident} TO ${ident}`);
  } finally {
    await client.end();
  }
  return { database: name, role: name, password };
}

export function databaseUrl(db: ServiceDatabase, host: string, port: number): string {
  return `postgres://${db.role}:${db.password}@${host}:${port}/${db.database}`;
}
