import { join } from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import type { SpecFile } from '../spec-files.ts';
import { bundleSpec } from './bundle-spec.ts';
import { generatedNotice, toIdentifier, withCommentHeader, type GeneratedFile } from './format-output.ts';

/** `<name>.ts` (openapi-typescript types) and `<name>.bundled.json` (bundled spec) for one OpenAPI spec. */
export async function openapiOutputs(spec: SpecFile, source: string, outDir: string): Promise<GeneratedFile[]> {
  const bundled = await bundleSpec(spec.path);
  const withNotice = { openapi: bundled['openapi'], 'x-generated': generatedNotice(source), ...bundled };
  const types = astToString(await openapiTS(bundled as unknown as OpenAPI3, { silent: true }));
  return [
    { path: join(outDir, `${spec.name}.ts`), content: withCommentHeader(source, types) },
    { path: join(outDir, `${spec.name}.bundled.json`), content: `${JSON.stringify(withNotice, null, 2)}\n` },
  ];
}

/** `index.ts`: the list of services and `<Service>Paths` / `Components` / `Operations` aliases. */
export function openapiIndex(specs: readonly SpecFile[], outDir: string): GeneratedFile {
  const lines: string[] = [];
  for (const spec of specs) {
    const id = toIdentifier(spec.name);
    lines.push(
      `export type { paths as ${id}Paths, components as ${id}Components, operations as ${id}Operations } from './${spec.name}.ts';`,
    );
  }
  lines.push('');
  for (const spec of specs) {
    lines.push(`import type { paths as ${toIdentifier(spec.name)}PathsType } from './${spec.name}.ts';`);
  }
  const names = specs.map((spec) => JSON.stringify(spec.name));
  lines.push(
    '',
    '/** Every service with an OpenAPI spec (the names of the spec files). */',
    `export const openapiServices = [${names.join(', ')}] as const;`,
    'export type OpenapiService = (typeof openapiServices)[number];',
    '',
    '/** `paths` type of each service, e.g. `ServicePaths["order"]`. */',
    'export interface ServicePaths {',
    ...specs.map((spec) => `  ${JSON.stringify(spec.name)}: ${toIdentifier(spec.name)}PathsType;`),
    '}',
  );
  return { path: join(outDir, 'index.ts'), content: withCommentHeader('openapi/*.yaml', `${lines.join('\n')}\n`) };
}
