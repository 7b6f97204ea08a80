import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { defaultDistDir, packageDir, storefrontViteConfig } from './viteConfig.ts';

/** The files the page is built from: a build older than any of them is stale. */
const sourceEntries = ['index.html', 'vite.config.ts', 'src/web', 'src/server/viteConfig.ts'];

/** Why the assets are (re)built, or undefined when `outDir` holds a build newer than every source. */
export async function staleBuildReason(outDir: string = defaultDistDir): Promise<string | undefined> {
  const builtAt = await modifiedAt(path.join(outDir, 'index.html'));
  if (builtAt === undefined) return `${path.join(outDir, 'index.html')} is missing`;
  for (const entry of sourceEntries) {
    const newest = await newestModification(path.join(packageDir, entry));
    if (newest !== undefined && newest > builtAt) return `${entry} changed after the last build`;
  }
  return undefined;
}

/** Runs `vite build` into `outDir` (Vite is loaded only when a build is needed). */
export async function buildAssets(outDir: string = defaultDistDir): Promise<void> {
  const { build } = await import('vite');
  await build({ ...storefrontViteConfig(outDir), configFile: false });
}

/** Builds the page when `outDir` has no build or an outdated one; says what it did. */
export async function ensureAssetsBuilt(outDir: string = defaultDistDir): Promise<{ built: boolean; reason?: string }> {
  const reason = await staleBuildReason(outDir);
  if (reason === undefined) return { built: false };
  await buildAssets(outDir);
  return { built: true, reason };
}

async function modifiedAt(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function newestModification(entry: string): Promise<number | undefined> {
  let info;
  try {
    info = await stat(entry);
  } catch {
    return undefined;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const child of await readdir(entry, { recursive: true })) {
    const time = await modifiedAt(path.join(entry, child));
    if (time !== undefined && time > newest) newest = time;
  }
  return newest;
}
