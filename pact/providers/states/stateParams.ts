/** Reads a required string parameter of a provider state. */
export function stringParam(params: Record<string, unknown>, name: string): string {
  const value = params[name];
  if (typeof value !== 'string' || value === '') throw new Error(`provider state parameter "${name}" is missing`);
  return value;
}

/** Reads a required integer parameter of a provider state. */
export function integerParam(params: Record<string, unknown>, name: string): number {
  const value = params[name];
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new Error(`provider state parameter "${name}" is not an integer`);
  return value;
}

/** Fails a state setup whose request the app did not answer as expected. */
export function expectStatus(what: string, status: number, expected: number, body: string): void {
  if (status !== expected) throw new Error(`${what}: expected ${expected}, got ${status}: ${body.slice(0, 300)}`);
}
