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

/** A provider as its service's `createService` returns it (configured to listen on 127.0.0.1:0). */
export interface StartableService {
  app: FastifyInstance;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the service (migrations, seed, listen) and returns it with its URL; stop() stops the
 * service, then ends the pool and drops the database it was given.
 */
export async function started(
  service: StartableService,
  db?: { database: FreshDatabase; pool: Pool },
): Promise<RunningApp> {
  const release = async (): Promise<void> => {
    await db?.pool.end();
    await db?.database.drop();
  };
  try {
    await service.start();
  } catch (error) {
    await service.stop().catch(() => undefined);
    await release();
    throw error;
  }
  const address = service.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the service does not listen on TCP');
  return {
    url: `http://127.0.0.1:${address.port}`,
    app: service.app,
    pool: db?.pool,
    async stop() {
      await service.stop();
      await release();
    },
  };
}
