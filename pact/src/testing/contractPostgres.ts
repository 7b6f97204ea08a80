import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { providerFromEnv, startInfra, startPostgres } from '@harness/runtime';

/**
 * The contract stage's PostgreSQL: `harness contracts` starts it once and hands its URL to both of
 * its vitest runs (consumers, providers) in this variable; a vitest run of
 * pact/vitest.contracts.config.ts without it starts its own.
 */
export const CONTRACT_POSTGRES_ENV = 'HARNESS_PACT_POSTGRES_URL';

export interface ContractPostgres {
  /** Superuser URL (database `postgres`). */
  url: string;
  stop(): Promise<void>;
}

/** A real PostgreSQL for the contract tests (from the containers provider when it is chosen). */
export async function startContractPostgres(): Promise<ContractPostgres> {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-contracts-'));
  const logDir = path.join(runDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const removeRunDir = (): void => fs.rmSync(runDir, { recursive: true, force: true });
  try {
    if (providerFromEnv() === 'containers') {
      // The containers provider brings PostgreSQL (with RabbitMQ and Toxiproxy, unused here).
      const infra = await startInfra({ runDir, topology: { services: [], links: [] }, provider: 'containers' });
      return {
        url: infra.postgres.url(),
        async stop() {
          await infra.stop();
          removeRunDir();
        },
      };
    }
    const postgres = await startPostgres({ dir: path.join(runDir, 'postgres'), logDir });
    return {
      url: postgres.url(),
      async stop() {
        await postgres.stop();
        removeRunDir();
      },
    };
  } catch (error) {
    removeRunDir();
    throw error;
  }
}
