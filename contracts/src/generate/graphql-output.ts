import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { codegen } from '@graphql-codegen/core';
import * as typedDocumentNode from '@graphql-codegen/typed-document-node';
import * as typescriptOperations from '@graphql-codegen/typescript-operations';
import { buildSchema, parse, printSchema } from 'graphql';
import { withCommentHeader, type GeneratedFile } from './format-output.ts';

const GRAPHQL_FILE = /\.graphql$/;

/** The SDL contracts (`graphql/<name>.graphql`), sorted by name. */
export async function findGraphqlSchemas(contractsDir: string): Promise<{ name: string; path: string }[]> {
  return graphqlFilesIn(join(contractsDir, 'graphql'));
}

async function graphqlFilesIn(dir: string): Promise<{ name: string; path: string }[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && GRAPHQL_FILE.test(entry.name))
    .map((entry) => ({ name: basename(entry.name).replace(GRAPHQL_FILE, ''), path: join(dir, entry.name) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The typed client of the gateway's GraphQL API: `graphql/gateway.ts` with one result and
 * variables type per operation of `graphql/operations/*.graphql` (and the enums and inputs they
 * use), and a TypedDocumentNode per operation (GraphQL Code Generator: typescript-operations,
 * typed-document-node). Operations are validated against the SDL; an unknown field fails here.
 */
export async function graphqlOutputs(contractsDir: string, outDir: string): Promise<GeneratedFile[]> {
  const schemas = await findGraphqlSchemas(contractsDir);
  const operations = await graphqlFilesIn(join(contractsDir, 'graphql', 'operations'));
  if (schemas.length === 0) return [];
  if (schemas.length > 1 && operations.length > 0) {
    throw new Error('graphql/operations/ needs exactly one SDL file under graphql/ to validate against');
  }
  const files: GeneratedFile[] = [];
  for (const schemaFile of schemas) {
    const sdl = await readFile(schemaFile.path, 'utf8');
    const documents = [];
    for (const operation of operations) {
      const source = await readFile(operation.path, 'utf8');
      documents.push({ location: `graphql/operations/${operation.name}.graphql`, document: parse(source) });
    }
    const content = await codegen({
      schema: parse(printSchema(buildSchema(sdl))),
      documents,
      filename: `${schemaFile.name}.ts`,
      config: { useTypeImports: true, enumsAsTypes: true, avoidOptionals: { field: true } },
      plugins: [{ 'typescript-operations': {} }, { 'typed-document-node': { documentMode: 'string' } }],
      pluginMap: { 'typescript-operations': typescriptOperations, 'typed-document-node': typedDocumentNode },
    });
    const sources = [`graphql/${schemaFile.name}.graphql`, ...documents.map((document) => document.location)];
    files.push({
      path: join(outDir, `${schemaFile.name}.ts`),
      content: withCommentHeader(sources.join(', '), content),
    });
  }
  return files;
}
