import { createHash } from 'node:crypto';

/** Statement name per SQL text: on a connection, a prepared statement name must always stand for the same text. */
const names = new Map<string, string>();

/**
 * A prepared-statement name for generated SQL: the caller's name (cut to fit PostgreSQL's 63
 * bytes) plus a hash of the text, so two texts never share a name.
 */
export function preparedName(name: string, text: string): string {
  const key = `${name}\n${text}`;
  let prepared = names.get(key);
  if (prepared === undefined) {
    prepared = `${name.slice(0, 40)}-${createHash('sha1').update(text).digest('hex').slice(0, 12)}`;
    names.set(key, prepared);
  }
  return prepared;
}
