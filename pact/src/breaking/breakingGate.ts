import fs from 'node:fs';
import path from 'node:path';
import type { ContractsLayout } from '../layout.ts';
import { compareAsyncapi } from './asyncapiDiff.ts';
import { compareGraphql } from './graphqlDiff.ts';
import type { BaseRef } from './baseRef.ts';
import { compareOpenapi } from './oasdiff.ts';
import { compareProto, hasProtoModule } from './protoDiff.ts';
import { failsGate, type SpecComparison } from './specChange.ts';

export interface BreakingGateResult {
  base: BaseRef;
  comparisons: SpecComparison[];
  /** False when a spec changed in a breaking way without a major version bump. */
  ok: boolean;
}

const specNames = (dir: string): string[] =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((file) => /\.ya?ml$/.test(file))
        .map((file) => file.replace(/\.ya?ml$/, ''))
        .sort()
    : [];

/** The SDL files directly under `graphql/` (operations are the consumers', not the contract). */
const sdlNames = (dir: string): string[] =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((file) => file.endsWith('.graphql'))
        .map((file) => file.replace(/\.graphql$/, ''))
        .sort()
    : [];

const yamlOf = (dir: string, name: string): string | undefined =>
  ['yaml', 'yml'].map((ext) => path.join(dir, `${name}.${ext}`)).find((file) => fs.existsSync(file));

/**
 * Compares every spec of `head` with the same spec in `base` (two contracts folders laid out
 * alike): OpenAPI with oasdiff on the bundled documents (the base's YAML when the base has no
 * bundle), AsyncAPI with @asyncapi/diff on the dereferenced documents, GraphQL SDL with
 * @graphql-inspector/core, the buf module `proto/` with `buf breaking`.
 */
export async function compareContracts(baseDir: string, head: ContractsLayout): Promise<SpecComparison[]> {
  const comparisons: SpecComparison[] = [];
  const openapiBase = path.join(baseDir, 'openapi');
  const openapiHead = path.join(head.contractsDir, 'openapi');
  for (const spec of union(specNames(openapiBase), specNames(openapiHead))) {
    const baseYaml = yamlOf(openapiBase, spec);
    const headBundle = path.join(head.generatedDir, 'openapi', `${spec}.bundled.json`);
    if (!baseYaml) {
      comparisons.push({ kind: 'openapi', spec, status: 'new', changes: [] });
      continue;
    }
    if (!yamlOf(openapiHead, spec)) {
      comparisons.push({ kind: 'openapi', spec, status: 'removed', changes: [], message: 'the spec was deleted' });
      continue;
    }
    const baseBundle = path.join(baseDir, 'generated', 'openapi', `${spec}.bundled.json`);
    const baseFile = fs.existsSync(baseBundle) ? baseBundle : baseYaml;
    const headFile = fs.existsSync(headBundle) ? headBundle : (yamlOf(openapiHead, spec) ?? headBundle);
    comparisons.push(await guarded('openapi', spec, () => compareOpenapi(spec, baseFile, headFile)));
  }
  const asyncBase = path.join(baseDir, 'asyncapi');
  const asyncHead = path.join(head.contractsDir, 'asyncapi');
  for (const spec of union(specNames(asyncBase), specNames(asyncHead))) {
    const baseFile = yamlOf(asyncBase, spec);
    const headFile = yamlOf(asyncHead, spec);
    if (!baseFile) comparisons.push({ kind: 'asyncapi', spec, status: 'new', changes: [] });
    else if (!headFile)
      comparisons.push({ kind: 'asyncapi', spec, status: 'removed', changes: [], message: 'the spec was deleted' });
    else comparisons.push(await guarded('asyncapi', spec, () => compareAsyncapi(spec, baseFile, headFile)));
  }
  if (hasProtoModule(baseDir) || hasProtoModule(head.contractsDir)) {
    comparisons.push(await guarded('proto', 'proto', () => compareProto(baseDir, head.contractsDir)));
  }
  const graphqlBase = path.join(baseDir, 'graphql');
  const graphqlHead = path.join(head.contractsDir, 'graphql');
  for (const spec of union(sdlNames(graphqlBase), sdlNames(graphqlHead))) {
    const baseFile = path.join(graphqlBase, `${spec}.graphql`);
    const headFile = path.join(graphqlHead, `${spec}.graphql`);
    if (!fs.existsSync(baseFile)) comparisons.push({ kind: 'graphql', spec, status: 'new', changes: [] });
    else if (!fs.existsSync(headFile))
      comparisons.push({ kind: 'graphql', spec, status: 'removed', changes: [], message: 'the spec was deleted' });
    else comparisons.push(await guarded('graphql', spec, () => compareGraphql(spec, baseFile, headFile)));
  }
  return comparisons;
}

async function guarded(
  kind: SpecComparison['kind'],
  spec: string,
  compare: () => Promise<SpecComparison>,
): Promise<SpecComparison> {
  try {
    return await compare();
  } catch (error) {
    return {
      kind,
      spec,
      status: 'error',
      changes: [],
      message: error instanceof Error ? error.message : String(error),
    };
  }
}

const union = (a: string[], b: string[]): string[] => [...new Set([...a, ...b])].sort();

export function gateResult(base: BaseRef, comparisons: SpecComparison[]): BreakingGateResult {
  return { base, comparisons, ok: !comparisons.some(failsGate) };
}
