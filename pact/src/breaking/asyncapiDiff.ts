import fs from 'node:fs';
import { diff } from '@asyncapi/diff';
import { Parser } from '@asyncapi/parser';
import { classifySchemaChange } from './schemaChangeRules.ts';
import { majorBumped } from './specVersion.ts';
import { comparisonStatus, type SpecChange, type SpecComparison } from './specChange.ts';

type Json = Record<string, unknown>;

const parser = new Parser();

/** Parses and dereferences an AsyncAPI file (refs to other files resolved from its folder). */
export async function loadAsyncapi(file: string): Promise<Json> {
  const { document, diagnostics } = await parser.parse(fs.readFileSync(file, 'utf8'), { source: file });
  if (!document) {
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 0).map((d) => d.message);
    throw new Error(`${file} is not a valid AsyncAPI document: ${errors.slice(0, 3).join('; ')}`);
  }
  return withoutParserExtensions(document.json()) as Json;
}

/** The parser adds `x-parser-*` bookkeeping (anonymous schema ids) that differs between runs. */
function withoutParserExtensions(node: unknown, seen = new WeakMap<object, unknown>()): unknown {
  if (typeof node !== 'object' || node === null) return node;
  if (seen.has(node)) return seen.get(node);
  if (Array.isArray(node)) {
    const copy: unknown[] = [];
    seen.set(node, copy);
    for (const item of node) copy.push(withoutParserExtensions(item, seen));
    return copy;
  }
  const copy: Json = {};
  seen.set(node, copy);
  for (const [key, value] of Object.entries(node)) {
    if (!key.startsWith('x-parser-')) copy[key] = withoutParserExtensions(value, seen);
  }
  return copy;
}

const MESSAGE_SCHEMA = /^\/components\/messages\/([^/]+)\/(payload|headers)(\/.*)?$/;
const DUPLICATE_SCHEMA = /^\/(channels|operations)\/.*\/(payload|headers)(\/|$)|^\/components\/schemas\//;
const TRANSPORT = /\/x-routing-key$|\/x-queue(\/|$)|\/bindings(\/|$)|^\/channels\/[^/]+\/address$/;
const DOCUMENTATION = /\/(description|summary|title|examples|externalDocs|tags)(\/|$)/;

/**
 * Compares two AsyncAPI documents with @asyncapi/diff. Its standard classifies the document
 * structure (channels, operations, messages added or removed); changes inside message payload and
 * headers schemas, which it leaves unclassified, are classified by classifySchemaChange, once per
 * message (the same schema reached through channels and operations is not counted again).
 */
export function compareAsyncapiDocuments(spec: string, base: Json, head: Json): SpecComparison {
  const output = diff(base, head, { outputType: 'json' }).getOutput();
  const changes: SpecChange[] = [];
  const rawChanges = typeof output === 'string' ? [] : output.changes;
  for (const change of rawChanges) {
    const where = MESSAGE_SCHEMA.exec(change.path);
    if (where) {
      const segments = (where[3] ?? '').split('/').filter((segment) => segment !== '');
      const level = segments.length === 0 ? (change.action === 'add' ? 'info' : 'breaking') : classifySchemaChange(segments, change.action, change.before, change.after);
      changes.push({ level, id: `asyncapi:${where[2]}-${change.action}`, text: describe(change), where: where[1] ?? '' });
      continue;
    }
    if (DUPLICATE_SCHEMA.test(change.path)) continue;
    let level: SpecChange['level'];
    if (TRANSPORT.test(change.path)) level = change.action === 'add' ? 'info' : 'breaking';
    else if (DOCUMENTATION.test(change.path) || /^\/info\//.test(change.path)) level = 'info';
    else level = change.type === 'breaking' ? 'breaking' : change.type === 'non-breaking' ? 'info' : 'warning';
    changes.push({ level, id: `asyncapi:${change.action}`, text: describe(change) });
  }
  const info = (document: Json): string | undefined => {
    const version = (document['info'] as { version?: unknown } | undefined)?.version;
    return typeof version === 'string' ? version : undefined;
  };
  const baseVersion = info(base);
  const headVersion = info(head);
  return {
    kind: 'asyncapi',
    spec,
    status: comparisonStatus(changes, majorBumped(baseVersion, headVersion)),
    ...(baseVersion === undefined ? {} : { baseVersion }),
    ...(headVersion === undefined ? {} : { headVersion }),
    changes,
  };
}

function describe(change: { action: string; path: string; before?: unknown; after?: unknown }): string {
  const show = (value: unknown): string => {
    const text = JSON.stringify(value) ?? 'undefined';
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  };
  if (change.action === 'edit') return `${change.path} changed from ${show(change.before)} to ${show(change.after)}`;
  if (change.action === 'add') return `${change.path} added: ${show(change.after)}`;
  return `${change.path} removed (was ${show(change.before)})`;
}

export async function compareAsyncapi(spec: string, baseFile: string, headFile: string): Promise<SpecComparison> {
  return compareAsyncapiDocuments(spec, await loadAsyncapi(baseFile), await loadAsyncapi(headFile));
}
