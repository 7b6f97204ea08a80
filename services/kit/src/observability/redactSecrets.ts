/** Keys whose values are never logged (at any of the first three levels of a log object). */
const secretKeys: ReadonlySet<string> = new Set([
  'authorization',
  'password',
  'token',
  'paymentToken',
  'serviceToken',
  'cookie',
  'x-service-token',
]);

const REDACTED = '[REDACTED]';
const MAX_DEPTH = 3;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function containsSecret(value: Record<string, unknown>, depth: number): boolean {
  for (const key in value) {
    if (secretKeys.has(key)) return true;
    const nested = value[key];
    if (depth < MAX_DEPTH && isPlainObject(nested) && containsSecret(nested, depth + 1)) return true;
  }
  return false;
}

function censored(value: Record<string, unknown>, depth: number): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    const nested = value[key];
    copy[key] = secretKeys.has(key)
      ? REDACTED
      : depth < MAX_DEPTH && isPlainObject(nested) && containsSecret(nested, depth + 1)
        ? censored(nested, depth + 1)
        : nested;
  }
  return copy;
}

/**
 * The log object with secret values replaced by `[REDACTED]`: the object itself (no copy) when it
 * holds none, which is nearly always; a copy of the parts that do otherwise. Much cheaper per
 * line than path-based redaction with wildcards, which walks every object it is given.
 */
export function redactSecrets(object: Record<string, unknown>): Record<string, unknown> {
  return containsSecret(object, 1) ? censored(object, 1) : object;
}
