import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { findTool } from '@harness/runtime';
import { majorBumped } from './specVersion.ts';
import { comparisonStatus, type SpecChange, type SpecComparison } from './specChange.ts';

interface OasdiffEntry {
  id: string;
  text: string;
  level: number;
  operation?: string;
  path?: string;
}

class OasdiffMissingError extends Error {
  constructor() {
    super('oasdiff is not installed: run `npm run setup` (ci/setup.sh builds it into the tool cache)');
    this.name = 'OasdiffMissingError';
  }
}

const LEVELS: Record<number, SpecChange['level']> = { 3: 'breaking', 2: 'warning', 1: 'info' };

function runOasdiff(binary: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(binary, args, { maxBuffer: 32 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 2) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** info.version of a bundled JSON document or of a spec's YAML (YAML reads JSON too). */
const infoVersion = (file: string): string | undefined => {
  const document = parseYaml(fs.readFileSync(file, 'utf8')) as { info?: { version?: unknown } } | null;
  return typeof document?.info?.version === 'string' ? document.info.version : undefined;
};

/**
 * Compares two bundled OpenAPI documents with `oasdiff breaking <base> <head> --fail-on ERR
 * --flatten-allof`
 * (JSON output). ERR-level changes are breaking; they pass only when `info.version`'s major went up.
 */
export async function compareOpenapi(spec: string, baseFile: string, headFile: string): Promise<SpecComparison> {
  const binary = findTool('oasdiff');
  if (!binary) throw new OasdiffMissingError();
  const { code, stdout, stderr } = await runOasdiff(binary, [
    'breaking',
    baseFile,
    headFile,
    '--format',
    'json',
    '--fail-on',
    'ERR',
    // A schema extended with allOf (a problem with extra members) is compared member by member,
    // not reported as a change of type with every required property "removed".
    '--flatten-allof',
  ]);
  let entries: OasdiffEntry[];
  try {
    entries = stdout.trim() === '' ? [] : (JSON.parse(stdout) as OasdiffEntry[]);
  } catch {
    return {
      kind: 'openapi',
      spec,
      status: 'error',
      changes: [],
      message: `oasdiff failed (exit ${code}): ${stderr.trim() || stdout.trim()}`,
    };
  }
  const changes: SpecChange[] = entries.map((entry) => ({
    level: LEVELS[entry.level] ?? 'info',
    id: entry.id,
    text: entry.text,
    ...(entry.operation && entry.path ? { where: `${entry.operation} ${entry.path}` } : {}),
  }));
  const hasBreaking = changes.some((change) => change.level === 'breaking');
  if (hasBreaking !== (code === 1)) {
    return {
      kind: 'openapi',
      spec,
      status: 'error',
      changes,
      message: `oasdiff exit ${code} disagrees with its output`,
    };
  }
  const baseVersion = infoVersion(baseFile);
  const headVersion = infoVersion(headFile);
  return {
    kind: 'openapi',
    spec,
    status: comparisonStatus(changes, majorBumped(baseVersion, headVersion)),
    ...(baseVersion === undefined ? {} : { baseVersion }),
    ...(headVersion === undefined ? {} : { headVersion }),
    changes,
  };
}
