import { existsSync } from 'node:fs';

/** The system Chromium (Debian package `chromium`); Playwright never downloads a browser here. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a headless Chromium in a container: no sandbox, GPU, shared memory or phoning home. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** Fails with the install command when the system Chromium is missing. */
export function assertChromiumInstalled(): void {
  if (existsSync(chromiumPath)) return;
  throw new Error(
    `Chromium is missing at ${chromiumPath}: install it with \`apt-get install chromium\` ` +
      '(or point CHROMIUM_PATH at another Chromium). The e2e suite never downloads a browser.',
  );
}
