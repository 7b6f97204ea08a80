import type { TestProject } from 'vitest/node';
import { CONTRACT_POSTGRES_ENV, startContractPostgres } from './contractPostgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the contract stage's PostgreSQL (database `postgres`). */
    pactPostgresUrl: string;
  }
}

/**
 * Global setup of the contract stage: one real PostgreSQL and nothing else — the one `harness
 * contracts` started for its two runs (HARNESS_PACT_POSTGRES_URL), else one of this run's own.
 * Consumers and providers run in-process (buildApp, the consumer handlers), so the stage needs
 * neither RabbitMQ (message pacts are verified through the event factories and fed to the handlers
 * directly) nor Toxiproxy — which keeps the stage within its time budget.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env[CONTRACT_POSTGRES_ENV];
  if (given) {
    project.provide('pactPostgresUrl', given);
    return async () => undefined;
  }
  const postgres = await startContractPostgres();
  project.provide('pactPostgresUrl', postgres.url);
  return () => postgres.stop();
}
