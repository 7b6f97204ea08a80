import { randomBytes } from 'node:crypto';
import { createLogger, createMetrics, createPool, type KitMetrics, type Logger, type Pool } from '@harness/kit';
import type { FastifyInstance } from 'fastify';
import { freshDatabase, type FreshDatabase } from '../../src/testing/freshDatabase.ts';

/** The internal token of this verification run (every provider requires it as X-Service-Token). */
export const providerServiceToken = `pact-${randomBytes(12).toString('hex')}`;

/** A service app listening on a free loopback port, with its own fresh database. */
export interface RunningApp {
  url: string;
  app: FastifyInstance;
  pool: Pool | undefined;
  stop(): Promise<void>;
}

export function quietObservers(service: string): { logger: Logger; metrics: KitMetrics } {
  return {
    logger: createLogger({ service, level: 'silent' }),
    metrics: createMetrics(service, { defaultMetrics: false }),
  };
}

/** A fresh database and a pool on it, for one service of the verification run. */
export async function serviceDatabase(service: string): Promise<{ database: FreshDatabase; pool: Pool }> {
  const database = await freshDatabase(`pact_${service}`);
  return { database, pool: createPool(database.url, { max: 5, applicationName: `pact-${service}` }) };
}

/** Listens on 127.0.0.1:0 and returns the app with its URL; stop() closes app, pool, database. */
export async function listen(app: FastifyInstance, db?: { database: FreshDatabase; pool: Pool }): Promise<RunningApp> {
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: address,
    app,
    pool: db?.pool,
    async stop() {
      await app.close();
      await db?.pool.end();
      await db?.database.drop();
    },
  };
}
