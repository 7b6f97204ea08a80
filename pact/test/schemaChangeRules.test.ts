import { describe, expect, it } from 'vitest';
import { classifySchemaChange } from '../src/breaking/schemaChangeRules.ts';

describe('payload schema changes seen from the consumers', () => {
  it.each([
    ['a property removed', ['properties', 'totalCents'], 'remove', 1, undefined, 'breaking'],
    ['a property added', ['properties', 'discountCents'], 'add', undefined, {}, 'info'],
    ['a property named like a keyword removed', ['properties', 'description'], 'remove', {}, undefined, 'breaking'],
    ['a type changed', ['properties', 'totalCents', 'type'], 'edit', 'integer', 'string', 'breaking'],
    ['a field no longer required', ['required', '3'], 'remove', 'totalCents', undefined, 'breaking'],
    ['a field now required', ['required', '6'], 'add', undefined, 'channel', 'info'],
    ['a new enum value', ['properties', 'reason', 'enum', '5'], 'add', undefined, 'FRAUD', 'breaking'],
    ['an enum value dropped', ['properties', 'reason', 'enum', '4'], 'remove', 'TIMEOUT', undefined, 'info'],
    ['a lower bound relaxed', ['properties', 'quantity', 'minimum'], 'edit', 1, 0, 'breaking'],
    ['a lower bound tightened', ['properties', 'quantity', 'minimum'], 'edit', 1, 2, 'info'],
    ['an upper bound relaxed', ['properties', 'quantity', 'maximum'], 'edit', 100, 1000, 'breaking'],
    ['a bound removed', ['properties', 'quantity', 'maximum'], 'remove', 100, undefined, 'breaking'],
    ['a pattern changed', ['properties', 'currency', 'pattern'], 'edit', '^[A-Z]{3}$', '^[A-Z]+$', 'breaking'],
    ['a description edited', ['properties', 'totalCents', 'description'], 'edit', 'a', 'b', 'info'],
    ['an example changed', ['properties', 'totalCents', 'examples', '0'], 'edit', 1, 2, 'info'],
  ] as const)('%s is %s', (_name, segments, action, before, after, level) => {
    expect(classifySchemaChange(segments, action, before, after)).toBe(level);
  });
});
