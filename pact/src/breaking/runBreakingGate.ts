import fs from 'node:fs';
import type { ContractsLayout } from '../layout.ts';
import { resolveBaseRef } from './baseRef.ts';
import { compareContracts, gateResult, type BreakingGateResult } from './breakingGate.ts';
import { contractsAtRef } from './specsAtRef.ts';

export interface BreakingGateOptions {
  /** The git repository holding the contracts. */
  repo: string;
  /** Where the contracts folder sits inside the repository (default `contracts`). */
  contractsPath?: string;
  layout: ContractsLayout;
  /** Explicit base ref; default: the merge base with main, then HEAD~1. */
  base?: string;
}

/** The breaking-change gate against a git base ref; "no base" passes with a clear reason. */
export async function runBreakingGate(options: BreakingGateOptions): Promise<BreakingGateResult> {
  const base = await resolveBaseRef(options.repo, options.base);
  if (base.kind === 'none') return gateResult(base, []);
  const baseDir = await contractsAtRef(options.repo, base.sha, options.contractsPath ?? 'contracts');
  try {
    return gateResult(base, await compareContracts(baseDir, options.layout));
  } finally {
    fs.rmSync(baseDir, { recursive: true, force: true });
  }
}
