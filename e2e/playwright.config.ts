import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './src/chromium.ts';

const reportsDir = path.resolve(import.meta.dirname, process.env.HARNESS_REPORTS_DIR ?? '../reports');

/**
 * The storefront flows run one at a time against one shared system: they share its stock, and
 * the payment breaker flow takes a link down for everyone.
 */
export default defineConfig({
  testDir: './tests',
  testMatch: '*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 45_000,
  globalTimeout: 300_000,
  expect: { timeout: 10_000 },
  globalSetup: './src/globalSetup.ts',
  outputDir: path.join(reportsDir, 'playwright-results'),
  reporter: [
    ['list'],
    ['html', { outputFolder: path.join(reportsDir, 'playwright'), open: 'never' }],
    ['junit', { outputFile: path.join(reportsDir, 'junit', 'e2e.xml') }],
  ],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    viewport: { width: 1100, height: 900 },
    actionTimeout: 10_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    video: 'off',
  },
});
