/** The major of a spec's `info.version` (`1.4.0` → 1, `v2` → 2); undefined when it has none. */
function majorVersion(version: unknown): number | undefined {
  if (typeof version !== 'string') return undefined;
  const match = /^v?(\d+)/.exec(version.trim());
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** A breaking change is allowed only when the major version went up. */
export function majorBumped(baseVersion: unknown, headVersion: unknown): boolean {
  const base = majorVersion(baseVersion);
  const head = majorVersion(headVersion);
  return base !== undefined && head !== undefined && head > base;
}
