import fs from 'node:fs';
import path from 'node:path';
import prettier from 'prettier';

/**
 * Moves a freshly written pact file into place: interactions sorted by description and the JSON
 * formatted like every other file of the repository (stable diffs, `prettier --check` passes),
 * written to a temporary file next to the target and renamed over it, so a reader never sees a
 * half-written pact and stale interactions of earlier runs never survive.
 */
export async function publishPactFile(source: string, target: string): Promise<void> {
  const pact = JSON.parse(fs.readFileSync(source, 'utf8')) as { interactions?: Array<{ description?: string }> };
  pact.interactions?.sort((a, b) => (a.description ?? '').localeCompare(b.description ?? ''));
  const options = (await prettier.resolveConfig(target)) ?? {};
  const text = await prettier.format(JSON.stringify(pact, null, 2), { ...options, filepath: target });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(staging, text);
  fs.renameSync(staging, target);
}
