import fs from 'node:fs';
import path from 'node:path';

/**
 * Moves a freshly written pact file into place: interactions sorted by description (stable diffs),
 * written to a temporary file next to the target and renamed over it, so a reader never sees a
 * half-written pact and stale interactions of earlier runs never survive.
 */
export function publishPactFile(source: string, target: string): void {
  const pact = JSON.parse(fs.readFileSync(source, 'utf8')) as { interactions?: Array<{ description?: string }> };
  pact.interactions?.sort((a, b) => (a.description ?? '').localeCompare(b.description ?? ''));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(staging, `${JSON.stringify(pact, null, 2)}\n`);
  fs.renameSync(staging, target);
}
