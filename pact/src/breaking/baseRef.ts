import { git } from './git.ts';

export type BaseRef = { kind: 'ref'; ref: string; sha: string; how: string } | { kind: 'none'; reason: string };

const sha = async (repo: string, ref: string): Promise<string | undefined> =>
  (await git(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]))?.trim() || undefined;

/**
 * The commit the specs are compared with:
 * 1. an explicit ref (`--base`, or HARNESS_CONTRACTS_BASE);
 * 2. the merge base of HEAD with `main` (or `origin/main`), when HEAD has commits of its own;
 * 3. on `main` itself (the merge base is HEAD, which would compare HEAD with itself and let a
 *    breaking change committed to main through): the previous release, the newest tag reachable
 *    from HEAD~1, else HEAD~1 (HEAD itself on main's first commit);
 * 4. without a main branch, HEAD~1;
 * 5. none: no history to compare with (a fresh repository or a shallow clone of one commit).
 */
export async function resolveBaseRef(repo: string, explicit?: string): Promise<BaseRef> {
  if (explicit) {
    const resolved = await sha(repo, explicit);
    return resolved
      ? { kind: 'ref', ref: explicit, sha: resolved, how: 'given' }
      : { kind: 'none', reason: `base ref "${explicit}" does not name a commit` };
  }
  const head = await sha(repo, 'HEAD');
  if (!head) return { kind: 'none', reason: 'the repository has no commit yet' };
  for (const main of ['main', 'origin/main']) {
    if (!(await sha(repo, main))) continue;
    const base = (await git(repo, ['merge-base', 'HEAD', main]))?.trim();
    if (!base) continue;
    if (base !== head) return { kind: 'ref', ref: `merge-base(HEAD, ${main})`, sha: base, how: 'merge base' };
    return previousOnMain(repo, main, head);
  }
  const parent = await sha(repo, 'HEAD~1');
  if (parent) return { kind: 'ref', ref: 'HEAD~1', sha: parent, how: 'no main branch; previous commit' };
  return { kind: 'none', reason: 'no main branch and HEAD has no parent: nothing to compare with' };
}

/** HEAD is on `main` (or behind it): the previous release tag, else the previous commit, else HEAD. */
async function previousOnMain(repo: string, main: string, head: string): Promise<BaseRef> {
  const parent = await sha(repo, 'HEAD~1');
  // The first commit: only what is not committed yet can be compared.
  if (!parent) return { kind: 'ref', ref: 'HEAD', sha: head, how: `on ${main}, its first commit: uncommitted changes` };
  const tag = (await git(repo, ['describe', '--tags', '--abbrev=0', 'HEAD~1']))?.trim();
  const tagged = tag ? await sha(repo, tag) : undefined;
  if (tag && tagged)
    return { kind: 'ref', ref: tag, sha: tagged, how: `on ${main}: the previous release (tag ${tag})` };
  return { kind: 'ref', ref: 'HEAD~1', sha: parent, how: `on ${main}: the previous commit (no release tag)` };
}
