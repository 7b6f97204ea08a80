import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

type Json = Record<string, unknown>;

/**
 * Loads a YAML/JSON spec and replaces every `$ref` (local `#/a/b` or to another file
 * `../x.yaml#/A`) by the value it points to, recursively. Sibling keys of a `$ref` are kept on
 * top of the referenced value. A reference cycle keeps its `$ref` (nothing in the specs has one).
 */
export function loadDereferenced(file: string): Json {
  const cache = new Map<string, unknown>();
  const load = (absolute: string): unknown => {
    if (!cache.has(absolute)) cache.set(absolute, parse(fs.readFileSync(absolute, 'utf8')));
    return cache.get(absolute);
  };
  const resolve = (node: unknown, currentFile: string, trail: readonly string[]): unknown => {
    if (Array.isArray(node)) return node.map((item) => resolve(item, currentFile, trail));
    if (typeof node !== 'object' || node === null) return node;
    const object = node as Json;
    const ref = object['$ref'];
    if (typeof ref === 'string') {
      const [filePart, pointer = ''] = ref.split('#');
      const target = filePart ? path.resolve(path.dirname(currentFile), filePart) : currentFile;
      const key = `${target}#${pointer}`;
      if (trail.includes(key)) return object;
      const { $ref: _ref, ...siblings } = object;
      const value = resolve(readPointer(load(target), pointer, ref), target, [...trail, key]);
      const extra = resolve(siblings, currentFile, trail) as Json;
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? { ...(value as Json), ...extra }
        : value;
    }
    const result: Json = {};
    for (const [name, value] of Object.entries(object)) result[name] = resolve(value, currentFile, trail);
    return result;
  };
  const absolute = path.resolve(file);
  return resolve(load(absolute), absolute, []) as Json;
}

function readPointer(document: unknown, pointer: string, ref: string): unknown {
  let node = document;
  for (const raw of pointer.split('/').filter((segment) => segment !== '')) {
    const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !(segment in node)) throw new Error(`unresolvable $ref ${ref}`);
    node = (node as Json)[segment];
  }
  return node;
}
