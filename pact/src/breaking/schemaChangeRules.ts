import type { SpecChange } from './specChange.ts';

/**
 * Classifies a change inside a message payload or headers schema from the consumers' side:
 * a change is breaking when a message valid under the new schema may break a consumer written
 * against the old one (a field may go missing, change type, take values it never took before).
 * `segments` is the JSON path below the schema root, `action` the diff action.
 */
export function classifySchemaChange(
  segments: readonly string[],
  action: 'add' | 'remove' | 'edit',
  before: unknown,
  after: unknown,
): SpecChange['level'] {
  const last = segments.at(-1) ?? '';
  const parent = segments.at(-2) ?? '';
  const isIndex = /^\d+$/.test(last);
  const keyword = isIndex ? parent : last;

  // A whole property (named anything, even `description`) added or removed.
  if (parent === 'properties' && !isIndex) return action === 'add' ? 'info' : 'breaking';
  if (DOCUMENTATION.has(keyword) || keyword.startsWith('x-')) return 'info';
  if (segments.includes('examples') || segments.includes('example')) return 'info';
  switch (keyword) {
    case 'required':
      // A name added to `required`: producers now always send it. Removed: it may go missing.
      return isIndex && action === 'add' ? 'info' : 'breaking';
    case 'enum':
      // A new value is one consumers have never seen.
      return isIndex && action === 'remove' ? 'info' : 'breaking';
    case 'allOf':
      return isIndex && action === 'add' ? 'info' : 'breaking';
    case 'oneOf':
    case 'anyOf':
      return isIndex && action === 'remove' ? 'info' : 'breaking';
  }
  if (LOWER_BOUNDS.has(keyword) || UPPER_BOUNDS.has(keyword)) {
    if (action === 'add') return 'info';
    if (action === 'remove' || typeof before !== 'number' || typeof after !== 'number') return 'breaking';
    const widened = LOWER_BOUNDS.has(keyword) ? after < before : after > before;
    return widened ? 'breaking' : 'info';
  }
  // type, const, format, pattern, items, additionalProperties and anything unknown: adding a
  // constraint narrows what is sent; changing or removing one may not.
  return action === 'add' ? 'info' : 'breaking';
}

const DOCUMENTATION = new Set([
  'description',
  'title',
  'summary',
  'examples',
  'example',
  '$comment',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  'externalDocs',
]);
const LOWER_BOUNDS = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties']);
const UPPER_BOUNDS = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties']);
