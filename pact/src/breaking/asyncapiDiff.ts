import { diff } from '@asyncapi/diff';
import { loadDereferenced } from './dereference.ts';
import { classifySchemaChange } from './schemaChangeRules.ts';
import { majorBumped } from './specVersion.ts';
import { comparisonStatus, type SpecChange, type SpecComparison } from './specChange.ts';

type Json = Record<string, unknown>;

/**
 * The dereferenced document @asyncapi/diff needs. Dereferenced here (yaml + $ref resolution)
 * rather than with @asyncapi/parser, whose full validation takes seconds and adds run-specific
 * `x-parser-*` ids; the specs are validated by `npm run validate -w @harness/contracts`.
 */
function loadAsyncapi(file: string): Json {
  const document = loadDereferenced(file);
  if (typeof document['asyncapi'] !== 'string') throw new Error(`${file} is not an AsyncAPI document`);
  return document;
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
function compareAsyncapiDocuments(spec: string, base: Json, head: Json): SpecComparison {
  const output = diff(base, head, { outputType: 'json' }).getOutput();
  const changes: SpecChange[] = [];
  const rawChanges = typeof output === 'string' ? [] : output.changes;
  for (const change of rawChanges) {
    const where = MESSAGE_SCHEMA.exec(change.path);
    if (where) {
      const segments = (where[3] ?? '').split('/').filter((segment) => segment !== '');
      const level =
        segments.length === 0
          ? change.action === 'add'
            ? 'info'
            : 'breaking'
          : classifySchemaChange(segments, change.action, change.before, change.after);
      changes.push({
        level,
        id: `asyncapi:${where[2]}-${change.action}`,
        text: describe(change),
        where: where[1] ?? '',
      });
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
  return compareAsyncapiDocuments(spec, loadAsyncapi(baseFile), loadAsyncapi(headFile));
}
