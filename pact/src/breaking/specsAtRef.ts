import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { git, gitBytes } from './git.ts';

/**
 * Writes the contracts of a commit into a temporary folder laid out like the repository's
 * `contracts/` (`openapi/`, `asyncapi/`, `graphql/`, `proto/`, `generated/openapi/*.bundled.json`), from
 * `git show <sha>:<path>`. Returns the folder; the caller removes it.
 */
export async function contractsAtRef(repo: string, sha: string, contractsPath = 'contracts'): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-contracts-base-'));
  const wanted = ['openapi', 'asyncapi', 'graphql', 'proto', 'generated/openapi'].map(
    (sub) => `${contractsPath}/${sub}`,
  );
  const listing = (await git(repo, ['ls-tree', '-r', '--name-only', sha, '--', ...wanted])) ?? '';
  const files = listing.split('\n').filter((file) => /\.(ya?ml|json|graphql|proto)$/.test(file));
  await Promise.all(
    files.map(async (file) => {
      const content = await gitBytes(repo, ['show', `${sha}:${file}`]);
      if (content === undefined) return;
      const target = path.join(dir, path.relative(contractsPath, file));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
    }),
  );
  return dir;
}
