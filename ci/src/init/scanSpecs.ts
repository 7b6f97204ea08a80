import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { PactDocument, SpecDocument } from './inferSystem.ts';

export interface ScannedFolder {
  openapi: SpecDocument[];
  asyncapi: SpecDocument[];
  pacts: PactDocument[];
  /** GraphQL SDL files (`.graphql`, `.gql`), relative to the config. */
  graphql: string[];
  /** Files that look like specs but do not parse: named, never thrown. */
  unreadable: string[];
}

/**
 * Reads every YAML/JSON file under `dir` (not node_modules): OpenAPI and AsyncAPI documents, pact
 * files; and lists its GraphQL SDL files.
 */
export function scanSpecs(dir: string, relativeTo: string): ScannedFolder {
  const found: ScannedFolder = { openapi: [], asyncapi: [], pacts: [], graphql: [], unreadable: [] };
  for (const file of filesUnder(dir)) {
    if (/\.(graphql|gql)$/i.test(file)) {
      found.graphql.push(relativeFile(file, relativeTo));
      continue;
    }
    let doc: unknown;
    try {
      const text = fs.readFileSync(file, 'utf8');
      doc = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    } catch (error) {
      found.unreadable.push(`${path.relative(relativeTo, file)}: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    if (typeof doc !== 'object' || doc === null) continue;
    const record = doc as Record<string, unknown>;
    const relative = relativeFile(file, relativeTo);
    if ('openapi' in record) found.openapi.push({ file: relative, doc: record });
    else if ('asyncapi' in record) found.asyncapi.push({ file: relative, doc: record });
    else if ('consumer' in record && 'provider' in record) found.pacts.push(pactOf(record));
  }
  return found;
}

function relativeFile(file: string, relativeTo: string): string {
  const rel = path.relative(relativeTo, file).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** A GraphQL request in a pact: POST to a `/graphql` path whose body has a `query` string. */
function isGraphqlRequest(interaction: PactInteraction): boolean {
  const request = interaction.request;
  const body = request?.body as { content?: unknown; query?: unknown } | undefined;
  const content = (body && typeof body === 'object' && 'content' in body ? body.content : body) as
    { query?: unknown } | undefined;
  return (
    request?.method?.toUpperCase() === 'POST' &&
    /\/graphql$/.test(request.path ?? '') &&
    typeof content?.query === 'string'
  );
}

interface PactInteraction {
  type?: string;
  description?: string;
  request?: { method?: string; path?: string; body?: unknown };
}

function pactOf(record: Record<string, unknown>): PactDocument {
  const name = (party: unknown): string => String((party as { name?: unknown } | undefined)?.name ?? '');
  const interactions = (record.interactions ?? []) as PactInteraction[];
  const messages = [
    ...interactions.filter((i) => i.type === 'Asynchronous/Messages').map((i) => i.description ?? ''),
    ...((record.messages ?? []) as Array<{ description?: string }>).map((m) => m.description ?? ''),
  ];
  return {
    consumer: name(record.consumer),
    provider: name(record.provider),
    messages,
    http: interactions.some((i) => (i.type === undefined || i.type === 'Synchronous/HTTP') && !isGraphqlRequest(i)),
    graphql: interactions.some((i) => (i.type === undefined || i.type === 'Synchronous/HTTP') && isGraphqlRequest(i)),
  };
}

function* filesUnder(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (/\.(ya?ml|json|graphql|gql)$/i.test(entry.name) && !/\.bundled\.json$/.test(entry.name)) yield full;
  }
}
