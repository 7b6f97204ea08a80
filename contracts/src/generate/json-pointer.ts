import type { JsonObject } from './bundle-spec.ts';

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a local JSON pointer (`#/components/schemas/Order`) in a document. */
function readPointer(document: JsonObject, pointer: string): unknown {
  const segments = pointer
    .replace(/^#\/?/, '')
    .split('/')
    .filter((segment) => segment !== '');
  let node: unknown = document;
  for (const raw of segments) {
    const segment = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** Follows local `$ref`s until a concrete object is reached. */
export function derefLocal(document: JsonObject, node: unknown, depth = 0): JsonObject | undefined {
  if (!isObject(node)) return undefined;
  const ref = node['$ref'];
  if (typeof ref !== 'string') return node;
  if (!ref.startsWith('#') || depth > 32) throw new Error(`Unsupported or circular $ref ${ref}`);
  return derefLocal(document, readPointer(document, ref), depth + 1);
}

/** Last segment of a local pointer (`#/components/schemas/Order` -> `Order`). */
export function pointerName(ref: string): string {
  return ref.split('/').pop() ?? ref;
}

const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const LITERALS = new Set(['enum', 'const', 'default', 'example', 'examples']);

/**
 * Deep copy of a JSON Schema without `x-*` extension keywords (Ajv's strict mode rejects unknown
 * keywords) and with every `$ref` passed through `rewriteRef`. Literal data (enum, examples...) is kept as is.
 */
export function cleanSchema(node: unknown, rewriteRef: (ref: string) => string): unknown {
  if (Array.isArray(node)) return node.map((item) => cleanSchema(item, rewriteRef));
  if (!isObject(node)) return node;
  const copy: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-')) continue;
    if (key === '$ref' && typeof value === 'string') copy[key] = rewriteRef(value);
    else if (LITERALS.has(key)) copy[key] = value;
    else if (SCHEMA_MAPS.has(key) && isObject(value)) {
      copy[key] = Object.fromEntries(
        Object.entries(value).map(([name, schema]) => [name, cleanSchema(schema, rewriteRef)]),
      );
    } else copy[key] = cleanSchema(value, rewriteRef);
  }
  return copy;
}
