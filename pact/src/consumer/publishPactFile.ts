import fs from 'node:fs';
import path from 'node:path';
import prettier from 'prettier';
import type { Interaction } from '../pacts/pactFile.ts';

/**
 * Moves a freshly written pact file into place: interactions sorted by description and the JSON
 * formatted like every other file of the repository (stable diffs, `prettier --check` passes),
 * written to a temporary file next to the target and renamed over it, so a reader never sees a
 * half-written pact and stale interactions of earlier runs never survive. `keep` names the
 * target's interactions that stay (another link's, when two links of one pair share the file).
 */
export async function publishPactFile(
  source: string,
  target: string,
  /** Interactions of the target to keep (those another link of the same pair owns); default none. */
  keep: (interaction: Interaction) => boolean = () => false,
): Promise<void> {
  const pact = JSON.parse(fs.readFileSync(source, 'utf8')) as {
    interactions?: Array<{ description?: string; type?: string }>;
  };
  if (fs.existsSync(target)) {
    const previous = JSON.parse(fs.readFileSync(target, 'utf8')) as typeof pact;
    pact.interactions = [
      ...(previous.interactions ?? []).filter((interaction) => keep(interaction as Interaction)),
      ...(pact.interactions ?? []),
    ];
  }
  pact.interactions?.sort((a, b) => (a.description ?? '').localeCompare(b.description ?? ''));
  const options = (await prettier.resolveConfig(target)) ?? {};
  const text = await prettier.format(JSON.stringify(pact, null, 2), { ...options, filepath: target });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(staging, text);
  fs.renameSync(staging, target);
}
