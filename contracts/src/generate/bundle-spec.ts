import { bundle } from '@redocly/openapi-core';
import { openapiLintConfig } from '../validate/validate-openapi.ts';

export type JsonObject = Record<string, unknown>;

/**
 * Bundles a spec (OpenAPI or AsyncAPI) into one document: every external `$ref` becomes a
 * component of the document (named after the last segment of its pointer) and is referenced
 * locally. Throws when a reference cannot be resolved.
 */
export async function bundleSpec(specFile: string): Promise<JsonObject> {
  const result = await bundle({ ref: specFile, config: await openapiLintConfig(), dereference: false });
  const unresolved = result.problems.filter((problem) => problem.severity === 'error');
  if (unresolved.length > 0) {
    const messages = unresolved.map((problem) => `${problem.message} (${problem.location[0]?.pointer ?? ''})`);
    throw new Error(`Cannot bundle ${specFile}:\n  ${messages.join('\n  ')}`);
  }
  return result.bundle.parsed as JsonObject;
}
