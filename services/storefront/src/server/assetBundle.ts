import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** One built file, held in memory (the page is a few kilobytes). */
export interface Asset {
  body: Buffer;
  contentType: string;
  etag: string;
  /** Content-hashed file names (assets/*) never change, so browsers may cache them for good. */
  immutable: boolean;
}

/** URL path (e.g. `/assets/index-3f2a.js`) → built file. Only files listed here are ever served. */
export type AssetBundle = ReadonlyMap<string, Asset>;

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Reads every file of a `vite build` output. Throws with a clear message when there is no build. */
export async function loadAssetBundle(distDir: string): Promise<AssetBundle> {
  let files: string[];
  try {
    files = (await readdir(distDir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name));
  } catch (error) {
    throw new Error(`storefront assets not found in ${distDir}: run \`npm run build -w @harness/storefront\``, {
      cause: error,
    });
  }
  const bundle = new Map<string, Asset>();
  for (const file of files) {
    const relative = path.relative(distDir, file).split(path.sep).join('/');
    const body = await readFile(file);
    bundle.set(`/${relative}`, {
      body,
      contentType: contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      immutable: relative.startsWith('assets/'),
    });
  }
  if (!bundle.has('/index.html')) {
    throw new Error(`storefront build in ${distDir} has no index.html: run \`npm run build -w @harness/storefront\``);
  }
  return bundle;
}
