import { resolve } from 'node:path';
import type { ContractIssue } from './contract-issue.ts';
import { findSpecs, findYamlFiles } from './spec-files.ts';
import { validateAsyncapiSpec } from './validate/validate-asyncapi.ts';
import { validateOpenapiSpec } from './validate/validate-openapi.ts';
import { checkYamlSyntax } from './validate/yaml-syntax.ts';

export type { ContractIssue } from './contract-issue.ts';

/**
 * Validates every spec of a contracts directory: YAML syntax of every file, OpenAPI specs with
 * Redocly (tuned recommended ruleset + project rules), AsyncAPI specs with @asyncapi/parser.
 * Returns errors and warnings; only errors should fail a build.
 */
export async function validateContracts(contractsDir: string): Promise<ContractIssue[]> {
  const dir = resolve(contractsDir);
  const syntax = await checkYamlSyntax(dir, await findYamlFiles(dir));
  const broken = new Set(syntax.map((issue) => issue.file));
  const specs = await findSpecs(dir);
  const issues = [...syntax];
  for (const spec of specs.openapi) issues.push(...(await validateOpenapiSpec(dir, spec.path)));
  for (const spec of specs.asyncapi) issues.push(...(await validateAsyncapiSpec(dir, spec.path)));
  // A file with a syntax error is reported once, by the YAML check; the linters would repeat it.
  const rest = issues.slice(syntax.length).filter((issue) => !broken.has(issue.file));
  return dedupe([...syntax, ...rest]);
}

function dedupe(issues: ContractIssue[]): ContractIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.file}|${issue.location}|${issue.line}|${issue.rule}|${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
