import { createHash, timingSafeEqual } from 'node:crypto';

const apiScopes = ['products:read', 'orders:read', 'orders:write'] as const;
export type ApiScope = (typeof apiScopes)[number];

/** One configured API key, as given in the API_KEYS env var. */
export interface ApiKeyDefinition {
  id: string;
  key: string;
  scopes: readonly string[];
}

/** Who is calling: the key's id (never the key itself) and what it may do. */
export interface ApiPrincipal {
  keyId: string;
  scopes: ReadonlySet<string>;
}

interface StoredKey {
  principal: ApiPrincipal;
  digest: Buffer;
}

/** Resolves a presented key to its principal; keys are held only as SHA-256 digests. */
export interface ApiKeyRegistry {
  authenticate(presentedKey: string): ApiPrincipal | undefined;
}

/** What an API key id may look like (contracts: ids.yaml#/OwnerId). */
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

function digestOf(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/**
 * Builds the registry. Every lookup hashes the presented key and compares it with every stored
 * digest in constant time, so neither the match position nor a prefix leaks through timing.
 */
export function createApiKeyRegistry(definitions: readonly ApiKeyDefinition[]): ApiKeyRegistry {
  const stored: StoredKey[] = definitions.map((definition) => ({
    principal: { keyId: definition.id, scopes: new Set(definition.scopes) },
    digest: digestOf(definition.key),
  }));
  return {
    authenticate(presentedKey) {
      const presented = digestOf(presentedKey);
      let match: ApiPrincipal | undefined;
      for (const candidate of stored) {
        if (timingSafeEqual(candidate.digest, presented) && match === undefined) match = candidate.principal;
      }
      return match;
    },
  };
}

/**
 * Parses the API_KEYS env value (`[{ id, key, scopes }]`). Throws with a message that names the
 * offending entry by index, never echoing a key.
 */
export function parseApiKeys(json: string): ApiKeyDefinition[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('API_KEYS is not valid JSON');
  }
  if (!Array.isArray(parsed)) throw new Error('API_KEYS must be a JSON array of { id, key, scopes }');
  return parsed.map((entry: unknown, index) => {
    const candidate = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const { id, key, scopes } = candidate;
    // The id travels to the order service as the order's owner (X-Owner-Id) and into its events.
    if (typeof id !== 'string' || !KEY_ID.test(id)) {
      throw new Error(`API_KEYS[${index}].id must be 1 to 64 letters, digits, '.', '_' or '-'`);
    }
    if (typeof key !== 'string' || key.length < 8)
      throw new Error(`API_KEYS[${index}].key must be a string of at least 8 characters`);
    if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string')) {
      throw new Error(`API_KEYS[${index}].scopes must be an array of strings`);
    }
    const unknown = scopes.filter((scope) => !(apiScopes as readonly string[]).includes(scope));
    if (unknown.length > 0) throw new Error(`API_KEYS[${index}].scopes has unknown scopes: ${unknown.join(', ')}`);
    return { id, key, scopes };
  });
}

/** The bearer token of an `Authorization` header, or undefined when absent or not a bearer. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
