import { randomBytes } from 'node:crypto';

/** A name no other test uses (`<prefix>-<random>`), for queues, exchanges and proxies. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
