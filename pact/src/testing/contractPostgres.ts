import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { providerFromEnv, startInfra, startPostgres } from '@harness/runtime';

/**
 * The contract stage's PostgreSQL: a URL given to a vitest run of pact/vitest.contracts.config.ts
 * in this variable is used as is; a run with neither this nor CONTRACT_POSTGRES_FILE_ENV starts its
 * own.
 */
export const CONTRACT_POSTGRES_ENV = 'HARNESS_PACT_POSTGRES_URL';

/**
 * Or the file where `harness contracts` writes that URL once its PostgreSQL is up (`{"url"}`, or
 * `{"error"}` when it would not start), so that PostgreSQL starts while the runs boot.
 */
export const CONTRACT_POSTGRES_FILE_ENV = 'HARNESS_PACT_POSTGRES_URL_FILE';

/** Waits for the file named in CONTRACT_POSTGRES_FILE_ENV and returns the URL in it. */
export async function awaitContractPostgres(
  file: string,
  { timeoutMs = 60_000, pollMs = 20 }: { timeoutMs?: number; pollMs?: number } = {},
): Promise<string> {
  const until = Date.now() + timeoutMs;
  while (!fs.existsSync(file)) {
    if (Date.now() > until)
      throw new Error(`no PostgreSQL for the contract tests within ${timeoutMs / 1000} s (${file} never appeared)`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  const content = JSON.parse(fs.readFileSync(file, 'utf8')) as { url?: string; error?: string };
  if (content.url) return content.url;
  throw new Error(`the contract stage's PostgreSQL did not start: ${content.error ?? 'no reason given'}`);
}

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
