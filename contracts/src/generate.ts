import { join, resolve } from 'node:path';
import { bundleSpec } from './generate/bundle-spec.ts';
import { buildEventCatalog } from './generate/event-catalog.ts';
import { eventModelsSource } from './generate/event-models.ts';
import {
  eventIndexSource,
  eventSchemasDocument,
  eventValidatorsDeclarations,
  eventValidatorsSource,
} from './generate/event-validators.ts';
import { formatFile, generatedNotice, withCommentHeader, type GeneratedFile } from './generate/format-output.ts';
import { graphqlOutputs } from './generate/graphql-output.ts';
import { openapiIndex, openapiOutputs } from './generate/openapi-output.ts';
import { hasProtoModule, protoOutputs } from './generate/proto-output.ts';
import { syncFiles, type SyncResult } from './generate/sync-files.ts';
import { contractRelative, findSpecs } from './spec-files.ts';

export interface GenerateOptions {
  /** Folder with `openapi/*.yaml`, `asyncapi/*.yaml`, `graphql/*.graphql` (+ `graphql/operations/`) and, optionally, the buf module `proto/`. */
  contractsDir: string;
  /** Output folder; `openapi/`, `events/` and `grpc/` are created in it. Default: `<contractsDir>/generated`. */
  outDir?: string;
  /** Compare with the files on disk instead of writing them. */
  check?: boolean;
}

export type GenerateResult = SyncResult;

/**
 * Generates, from the specs of a contracts folder:
 * - `openapi/<spec>.ts` (openapi-typescript types), `openapi/<spec>.bundled.json`, `openapi/index.ts`;
 * - `events/models.ts`, `events/validators.js` + `.d.ts`, `events/schemas.json`, `events/index.ts`;
 * - `grpc/<package path>/<file>.ts` from `proto/` (buf generate with ts-proto, grpc-js services).
 * - `graphql/<sdl>.ts` (GraphQL Code Generator: types and a typed document per operation).
 * Output is deterministic and formatted with Prettier. Returns absolute paths, sorted.
 */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const contractsDir = resolve(options.contractsDir);
  const outDir = resolve(options.outDir ?? join(contractsDir, 'generated'));
  const files = await renderAll(contractsDir, outDir);
  const formatted = await Promise.all(files.map(formatFile));
  const managed = ['openapi', 'events', 'graphql', 'grpc'].map((folder) => join(outDir, folder));
  return syncFiles(formatted, managed, options.check ?? false);
}

async function renderAll(contractsDir: string, outDir: string): Promise<GeneratedFile[]> {
  const specs = await findSpecs(contractsDir);
  const openapiDir = join(outDir, 'openapi');
  const eventsDir = join(outDir, 'events');
  const files: GeneratedFile[] = [];
  for (const spec of specs.openapi) {
    files.push(...(await openapiOutputs(spec, contractRelative(contractsDir, spec.path), openapiDir)));
  }
  if (specs.openapi.length > 0) files.push(openapiIndex(specs.openapi, openapiDir));
  const protoDir = join(contractsDir, 'proto');
  if (await hasProtoModule(protoDir)) files.push(...(await protoOutputs(protoDir, join(outDir, 'grpc'))));
  files.push(...(await graphqlOutputs(contractsDir, join(outDir, 'graphql'))));
  if (specs.asyncapi.length === 0) return files;

  const documents = [];
  for (const spec of specs.asyncapi) {
    documents.push({ source: contractRelative(contractsDir, spec.path), document: await bundleSpec(spec.path) });
  }
  const catalog = buildEventCatalog(documents);
  const source = documents.map((document) => document.source).join(', ');
  const schemas = eventSchemasDocument(catalog, generatedNotice(source));
  files.push(
    { path: join(eventsDir, 'models.ts'), content: withCommentHeader(source, await eventModelsSource(catalog)) },
    { path: join(eventsDir, 'validators.js'), content: withCommentHeader(source, eventValidatorsSource(catalog)) },
    {
      path: join(eventsDir, 'validators.d.ts'),
      content: withCommentHeader(source, eventValidatorsDeclarations(catalog)),
    },
    { path: join(eventsDir, 'schemas.json'), content: `${JSON.stringify(schemas, null, 2)}\n` },
    { path: join(eventsDir, 'index.ts'), content: withCommentHeader(source, eventIndexSource(catalog)) },
  );
  return files;
}
