import { fileURLToPath } from 'node:url';
import type { InlineConfig } from 'vite';

/** services/storefront: the Vite root (index.html lives here). */
export const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/** Where `vite build` writes the page and where the server reads it from. */
export const defaultDistDir = fileURLToPath(new URL('../../dist', import.meta.url));

/** The one Vite configuration, used by vite.config.ts (the CLI) and by buildAssets (at startup and in tests). */
export function storefrontViteConfig(outDir: string = defaultDistDir): InlineConfig {
  return {
    root: packageDir,
    base: '/',
    publicDir: false,
    clearScreen: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: true,
      // No inline data: URIs and no injected inline script, so the CSP can stay 'self'.
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
    },
  };
}
