import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { providerFromEnv, startInfra, startPostgres } from '@harness/runtime';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the contract stage's PostgreSQL (database `postgres`). */
    pactPostgresUrl: string;
  }
}

/**
 * Global setup of the contract stage: one real PostgreSQL and nothing else. Consumers and
 * providers run in-process (buildApp, the consumer handlers), so the stage needs neither
 * RabbitMQ (message pacts are verified through the event factories and fed to the handlers
 * directly) nor Toxiproxy — which keeps the stage within its time budget.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-contracts-'));
  const logDir = path.join(runDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  if (providerFromEnv() === 'containers') {
    // The containers provider brings PostgreSQL (with RabbitMQ and Toxiproxy, unused here).
    const infra = await startInfra({ runDir, topology: { services: [], links: [] }, provider: 'containers' });
    project.provide('pactPostgresUrl', infra.postgres.url());
    return async () => {
      await infra.stop();
      fs.rmSync(runDir, { recursive: true, force: true });
    };
  }
  const postgres = await startPostgres({ dir: path.join(runDir, 'postgres'), logDir });
  project.provide('pactPostgresUrl', postgres.url());
  return async () => {
    await postgres.stop();
    fs.rmSync(runDir, { recursive: true, force: true });
  };
}
