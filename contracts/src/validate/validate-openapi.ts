import {
  createConfig,
  getLineColLocation,
  lint,
  YamlParseError,
  type Config,
  type NormalizedProblem,
} from '@redocly/openapi-core';
import { pointerToPath, type ContractIssue } from '../contract-issue.ts';
import { contractRelative } from '../spec-files.ts';
import { contractsPlugin, lintConfig } from './redocly-rules.ts';

let configPromise: Promise<Config> | undefined;

/** The Redocly config used for every OpenAPI spec (no redocly.yaml lookup, so results do not depend on cwd). */
export function openapiLintConfig(): Promise<Config> {
  configPromise ??= createConfig(lintConfig, { plugins: [contractsPlugin] });
  return configPromise;
}

/** Lints one OpenAPI spec (and every file it references) with Redocly. */
export async function validateOpenapiSpec(contractsDir: string, specFile: string): Promise<ContractIssue[]> {
  try {
    const problems = await lint({ ref: specFile, config: await openapiLintConfig() });
    return problems.map((problem) => toIssue(contractsDir, specFile, problem));
  } catch (error) {
    return [fromThrown(contractsDir, specFile, error)];
  }
}

function toIssue(contractsDir: string, specFile: string, problem: NormalizedProblem): ContractIssue {
  const location = problem.location[0];
  const start = location ? getLineColLocation(location).start : undefined;
  return {
    file: contractRelative(contractsDir, location?.source.absoluteRef ?? specFile),
    location: location?.pointer === undefined ? '' : pointerToPath(location.pointer),
    ...(start ? { line: start.line, column: start.col } : {}),
    message: problem.message,
    severity: problem.severity === 'error' ? 'error' : 'warning',
    rule: problem.ruleId,
  };
}

function fromThrown(contractsDir: string, specFile: string, error: unknown): ContractIssue {
  if (error instanceof YamlParseError) {
    return {
      file: contractRelative(contractsDir, error.source.absoluteRef),
      location: '',
      line: error.line,
      column: error.col,
      message: `YAML syntax error: ${error.message}`,
      severity: 'error',
      rule: 'yaml-syntax',
    };
  }
  return {
    file: contractRelative(contractsDir, specFile),
    location: '',
    message: `Could not lint the spec: ${error instanceof Error ? error.message : String(error)}`,
    severity: 'error',
    rule: 'lint-failed',
  };
}
