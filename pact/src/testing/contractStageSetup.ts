import type { TestProject } from 'vitest/node';
import {
  awaitContractPostgres,
  CONTRACT_POSTGRES_ENV,
  CONTRACT_POSTGRES_FILE_ENV,
  startContractPostgres,
} from './contractPostgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the contract stage's PostgreSQL (database `postgres`). */
    pactPostgresUrl: string;
  }
}

/**
 * Global setup of the contract stage: one real PostgreSQL and nothing else — the one `harness
 * contracts` starts for its two runs while they boot (HARNESS_PACT_POSTGRES_URL_FILE), or the one
 * given in HARNESS_PACT_POSTGRES_URL, else one of this run's own.
 * Consumers and providers run in-process (buildApp, the consumer handlers), so the stage needs
 * neither RabbitMQ (message pacts are verified through the event factories and fed to the handlers
 * directly) nor Toxiproxy — which keeps the stage within its time budget.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const file = process.env[CONTRACT_POSTGRES_FILE_ENV];
  const given = process.env[CONTRACT_POSTGRES_ENV] ?? (file ? await awaitContractPostgres(file) : undefined);
  if (given) {
    project.provide('pactPostgresUrl', given);
    return async () => undefined;
  }
  const postgres = await startContractPostgres();
  project.provide('pactPostgresUrl', postgres.url);
  return () => postgres.stop();
}
