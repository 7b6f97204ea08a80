import { describe, expect, it } from 'vitest';
import { bearerToken, createApiKeyRegistry, parseApiKeys } from '../src/auth/apiKeys.ts';

describe('API keys', () => {
  const registry = createApiKeyRegistry([
    { id: 'demo', key: 'demo_key_0001', scopes: ['products:read', 'orders:write'] },
    { id: 'other', key: 'other_key_0002', scopes: ['products:read'] },
  ]);

  it('resolves a configured key to its id and scopes', () => {
    const principal = registry.authenticate('other_key_0002');
    expect(principal?.keyId).toBe('other');
    expect([...(principal?.scopes ?? [])]).toEqual(['products:read']);
  });

  it('resolves no principal for an unknown key or a prefix of a known one', () => {
    expect(registry.authenticate('demo_key_000')).toBeUndefined();
    expect(registry.authenticate('')).toBeUndefined();
  });

  it('reads only Bearer credentials', () => {
    expect(bearerToken('Bearer abc123')).toBe('abc123');
    expect(bearerToken('bearer abc123')).toBe('abc123');
    expect(bearerToken('Basic abc123')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it('parses API_KEYS and refuses unknown scopes without echoing any key', () => {
    expect(parseApiKeys('[{"id":"a","key":"secret-key-1","scopes":["orders:read"]}]')).toEqual([
      { id: 'a', key: 'secret-key-1', scopes: ['orders:read'] },
    ]);
    const bad = () => parseApiKeys('[{"id":"a","key":"secret-key-1","scopes":["admin"]}]');
    expect(bad).toThrow(/API_KEYS\[0\]\.scopes/);
    try {
      bad();
    } catch (error) {
      expect((error as Error).message).not.toContain('secret-key-1');
    }
    expect(() => parseApiKeys('not json')).toThrow(/not valid JSON/);
    expect(() => parseApiKeys('{}')).toThrow(/array/);
    // The id becomes the order's owner (X-Owner-Id): only what the order contract accepts.
    expect(() => parseApiKeys('[{"id":"a b","key":"secret-key-1","scopes":[]}]')).toThrow(
      /API_KEYS\[0\]\.id must be 1 to 64 letters, digits/,
    );
    expect(() => parseApiKeys(`[{"id":"${'x'.repeat(65)}","key":"secret-key-1","scopes":[]}]`)).toThrow(/\.id/);
  });
});
