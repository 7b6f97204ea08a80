import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import type { ResolvedCommand } from '../topology.ts';

/**
 * Seeds a service's new database, as the service's own role: a SQL file in one go, or a command
 * that gets `DATABASE_URL`. A failure names the service and the seed.
 */
export async function seedDatabase(
  service: string,
  seed: { sql: string } | ResolvedCommand,
  url: string,
  logDir: string,
): Promise<void> {
  if ('sql' in seed) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(fs.readFileSync(seed.sql, 'utf8'));
    } catch (error) {
      throw new Error(`seed ${seed.sql} of service ${service} failed: ${(error as Error).message}`, { cause: error });
    } finally {
      await client.end();
    }
    return;
  }
  const result = spawnSync(seed.command, seed.args, {
    cwd: seed.cwd,
    env: { ...process.env, ...seed.env, DATABASE_URL: url },
    encoding: 'utf8',
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  fs.writeFileSync(path.join(logDir, `${service}.seed.log`), output);
  if (result.error || result.status !== 0)
    throw new Error(
      `seed command of service ${service} failed (${seed.command} ${seed.args.join(' ')}): ${result.error?.message ?? `exited with ${result.status}`}\n${output.split('\n').slice(-15).join('\n')}`,
    );
}
