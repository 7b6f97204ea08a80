/** `application/json; charset=utf-8` → `application/json`. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === '' ? undefined : type;
}

/** The first declared media type (or range: `application/*`, `*\/*`) that matches. */
export function findMediaType(declared: readonly string[], actual: string | undefined): string | undefined {
  if (actual === undefined) return undefined;
  const [type] = actual.split('/');
  return (
    declared.find((candidate) => candidate.toLowerCase() === actual) ??
    declared.find((candidate) => candidate === `${type}/*` || candidate === '*/*')
  );
}

/** True when the request carries a body (a non-zero Content-Length or a chunked one). */
export function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers['content-length'];
  if (typeof length === 'string') return Number(length) > 0;
  return headers['transfer-encoding'] !== undefined;
}
