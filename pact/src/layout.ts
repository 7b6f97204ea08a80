import path from 'node:path';
import { REPO_ROOT } from '@harness/runtime';

/**
 * Where the contract stage reads and writes. Every check takes a layout, so the same functions
 * run on the repository and on a scratch copy (the drift tests).
 */
export interface ContractsLayout {
  /** Folder with `openapi/*.yaml` and `asyncapi/*.yaml`. */
  contractsDir: string;
  /** Output of `npm run generate` (`openapi/<service>.bundled.json`, `events/schemas.json`). */
  generatedDir: string;
  /** Pact files, one per consumer-provider pair: `<consumer>-<provider>.json`. */
  pactsDir: string;
}

export const repoLayout: ContractsLayout = {
  contractsDir: path.join(REPO_ROOT, 'contracts'),
  generatedDir: path.join(REPO_ROOT, 'contracts', 'generated'),
  pactsDir: path.join(REPO_ROOT, 'contracts', 'pacts'),
};

/** A layout rooted at a contracts folder laid out like the repository's. */
export function layoutAt(contractsDir: string): ContractsLayout {
  return {
    contractsDir,
    generatedDir: path.join(contractsDir, 'generated'),
    pactsDir: path.join(contractsDir, 'pacts'),
  };
}

/** Reports of the contract stage (git-ignored). */
export const contractReportsDir = path.join(REPO_ROOT, 'reports', 'contracts');

export const bundledSpecPath = (layout: ContractsLayout, service: string): string =>
  path.join(layout.generatedDir, 'openapi', `${service}.bundled.json`);

export const eventSchemasFile = (layout: ContractsLayout): string =>
  path.join(layout.generatedDir, 'events', 'schemas.json');
