import fs from 'node:fs';
import path from 'node:path';
import { runBuf } from '@harness/contracts/buf';
import type { SpecChange, SpecComparison } from './specChange.ts';

/** One line of `buf breaking --error-format json`. */
interface BufFinding {
  path?: string;
  start_line?: number;
  type?: string;
  message?: string;
}

const isModule = (dir: string): boolean => fs.existsSync(path.join(dir, 'buf.yaml'));

/** Does a contracts folder hold a buf module (`proto/buf.yaml`)? */
export const hasProtoModule = (contractsDir: string): boolean => isModule(path.join(contractsDir, 'proto'));

/**
 * Compares the buf module `proto/` of two contracts folders with `buf breaking <head> --against
 * <base>` (the module's own rules, FILE). Every finding is breaking: in protobuf a new major
 * version is a new package (`harness.inventory.v2`), which buf sees as new files, so there is no
 * version bump that would let a breaking change through.
 */
export async function compareProto(baseDir: string, headDir: string): Promise<SpecComparison> {
  const base = path.join(baseDir, 'proto');
  const head = path.join(headDir, 'proto');
  if (!isModule(base)) return { kind: 'proto', spec: 'proto', status: 'new', changes: [] };
  if (!isModule(head)) {
    return { kind: 'proto', spec: 'proto', status: 'removed', changes: [], message: 'the buf module was deleted' };
  }
  // Run in the module so that findings name files relative to it (`harness/.../x.proto`).
  const run = await runBuf(['breaking', '.', '--against', base, '--error-format', 'json'], head);
  const findings = parseFindings(run.stdout);
  if (findings === undefined || (run.code !== 0 && findings.length === 0)) {
    return {
      kind: 'proto',
      spec: 'proto',
      status: 'error',
      changes: [],
      message: `buf breaking failed (exit ${run.code}): ${run.stderr.trim() || run.stdout.trim()}`,
    };
  }
  const changes: SpecChange[] = findings.map((finding) => ({
    level: 'breaking',
    id: `buf:${finding.type ?? 'UNKNOWN'}`,
    text: finding.message ?? '',
    ...(finding.path ? { where: `${finding.path}:${finding.start_line ?? 0}` } : {}),
  }));
  return { kind: 'proto', spec: 'proto', status: changes.length > 0 ? 'breaking' : 'compatible', changes };
}

function parseFindings(stdout: string): BufFinding[] | undefined {
  try {
    return stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as BufFinding);
  } catch {
    return undefined;
  }
}
