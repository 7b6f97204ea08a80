import fs from 'node:fs';
import { createRequire } from 'node:module';
import { diff, type Change } from '@graphql-inspector/core';
import type * as graphql from 'graphql';

// The schema must come from the graphql instance @graphql-inspector/core uses: Node resolves its
// `import 'graphql'` to graphql's CommonJS entry, while a bundler (vitest) would pick `index.mjs`,
// and graphql refuses types "from another module or realm".
const { buildSchema } = createRequire(import.meta.url)('graphql') as typeof graphql;
import { comparisonStatus, type SpecChange, type SpecComparison } from './specChange.ts';

const LEVEL: Record<string, SpecChange['level']> = {
  BREAKING: 'breaking',
  DANGEROUS: 'warning',
  NON_BREAKING: 'info',
};

function toSpecChange(change: Change): SpecChange {
  return {
    level: LEVEL[change.criticality.level] ?? 'warning',
    id: `graphql:${change.type}`,
    text: change.criticality.reason ? `${change.message} (${change.criticality.reason})` : change.message,
    ...(change.path === undefined ? {} : { where: change.path }),
  };
}

/**
 * Compares two GraphQL SDL files with @graphql-inspector/core (a removed field or type, a new
 * required argument, a removed enum value are breaking; an enum value added to a type clients read is
 * dangerous). An SDL carries no version: a breaking change always fails the gate (deprecate
 * first, remove once no consumer's pact asks for it).
 */
export async function compareGraphql(spec: string, baseFile: string, headFile: string): Promise<SpecComparison> {
  const load = (file: string) => buildSchema(fs.readFileSync(file, 'utf8'));
  const changes = (await diff(load(baseFile), load(headFile))).map(toSpecChange);
  return { kind: 'graphql', spec, status: comparisonStatus(changes, false), changes };
}
