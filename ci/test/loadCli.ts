import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';
import type { InfraDescription } from '@harness/runtime';
import { commands, main } from '../src/cli.ts';
import { bench } from '../src/commands/bench.ts';
import { load } from '../src/commands/load.ts';

// Registered here too, so these tests do not depend on the CLI's command table.
commands.load ??= load;
commands.bench ??= bench;

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `harness <args>` in this process (the real command table and error handling), capturing output. */
export async function harnessInProcess(args: string[]): Promise<InProcessResult> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(parts.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void err.push(parts.join(' ')));
  try {
    const code = await main(args);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Points the run state at an empty folder for this test file: "nothing is running". */
export function isolateRunState(): string {
  const dir = tempDir('harness-load-state-');
  process.env.HARNESS_STATE_DIR = dir;
  return dir;
}

declare module 'vitest' {
  export interface ProvidedContext {
    infra: InfraDescription;
  }
}
