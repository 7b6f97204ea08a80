import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from '@harness/contracts/generate';
import { layoutAt, repoLayout, type ContractsLayout } from '../../src/layout.ts';

export interface ScratchContracts {
  dir: string;
  layout: ContractsLayout;
  /** Rewrites a file of the copy (path relative to the contracts folder). */
  edit(relativePath: string, change: (text: string) => string): void;
  editJson(relativePath: string, change: (json: Record<string, unknown>) => void): void;
  /** Regenerates the copy's bundles and event schemas from its (edited) specs. */
  regenerate(): Promise<void>;
  remove(): void;
}

/**
 * A scratch copy of the repository's contracts (specs, generated output, pacts) in a temp
 * folder: drift tests change the copy and run the stage's checks on it, never the repository.
 */
export function scratchContracts(): ScratchContracts {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-drift-'));
  const contractsDir = path.join(dir, 'contracts');
  for (const part of ['openapi', 'asyncapi', 'graphql', 'generated', 'pacts']) {
    fs.cpSync(path.join(repoLayout.contractsDir, part), path.join(contractsDir, part), { recursive: true });
  }
  const layout = layoutAt(contractsDir);
  const file = (relativePath: string): string => path.join(contractsDir, relativePath);
  return {
    dir,
    layout,
    edit(relativePath, change) {
      const before = fs.readFileSync(file(relativePath), 'utf8');
      const after = change(before);
      if (after === before) throw new Error(`the edit of ${relativePath} changed nothing`);
      fs.writeFileSync(file(relativePath), after);
    },
    editJson(relativePath, change) {
      const json = JSON.parse(fs.readFileSync(file(relativePath), 'utf8')) as Record<string, unknown>;
      change(json);
      fs.writeFileSync(file(relativePath), `${JSON.stringify(json, null, 2)}\n`);
    },
    async regenerate() {
      await generate({ contractsDir, outDir: layout.generatedDir });
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
