import { git } from './git.ts';

export type BaseRef = { kind: 'ref'; ref: string; sha: string; how: string } | { kind: 'none'; reason: string };

const sha = async (repo: string, ref: string): Promise<string | undefined> =>
  (await git(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]))?.trim() || undefined;

/**
 * The commit the specs are compared with:
 * 1. an explicit ref (`--base`, or HARNESS_CONTRACTS_BASE);
 * 2. the merge base of HEAD with `main` (or `origin/main`);
 * 3. HEAD~1;
 * 4. none: no history to compare with (a fresh repository or a shallow clone of one commit).
 */
export async function resolveBaseRef(repo: string, explicit?: string): Promise<BaseRef> {
  if (explicit) {
    const resolved = await sha(repo, explicit);
    return resolved
      ? { kind: 'ref', ref: explicit, sha: resolved, how: 'given' }
      : { kind: 'none', reason: `base ref "${explicit}" does not name a commit` };
  }
  if (!(await sha(repo, 'HEAD'))) return { kind: 'none', reason: 'the repository has no commit yet' };
  for (const main of ['main', 'origin/main']) {
    if (!(await sha(repo, main))) continue;
    const base = (await git(repo, ['merge-base', 'HEAD', main]))?.trim();
    if (base) return { kind: 'ref', ref: `merge-base(HEAD, ${main})`, sha: base, how: 'merge base' };
  }
  const parent = await sha(repo, 'HEAD~1');
  if (parent) return { kind: 'ref', ref: 'HEAD~1', sha: parent, how: 'no main branch; previous commit' };
  return { kind: 'none', reason: 'no main branch and HEAD has no parent: nothing to compare with' };
}
