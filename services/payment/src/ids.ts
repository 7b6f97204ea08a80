import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LENGTH = 24;

/** A random identifier like `ch_5Jf8kQ2zLm4NxY...`: a prefix and 24 base62 characters. */
export function newId(prefix: 'ch' | 're'): string {
  let suffix = '';
  while (suffix.length < LENGTH) {
    // Bytes >= 248 (= 4 * 62) are skipped so that every character is equally likely.
    for (const byte of randomBytes(32)) if (byte < 248 && suffix.length < LENGTH) suffix += ALPHABET.charAt(byte % 62);
  }
  return `${prefix}_${suffix}`;
}
