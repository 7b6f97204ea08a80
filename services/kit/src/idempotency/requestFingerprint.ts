import { createHash } from 'node:crypto';

/**
 * A digest of what a keyed request asks for: the operation, its path parameters and its body in
 * canonical JSON (object keys sorted, array order kept). Two requests with the same
 * Idempotency-Key are "the same request" exactly when their fingerprints are equal, whatever the
 * key order or whitespace of the body.
 */
export function requestFingerprint(operation: string, params: unknown, body: unknown): string {
  return createHash('sha256')
    .update(operation)
    .update('\n')
    .update(canonicalJson(params))
    .update('\n')
    .update(canonicalJson(body))
    .digest('hex');
}

/** JSON with object keys sorted and `undefined` members left out (arrays: `null`). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
