import path from 'node:path';
import { defineConfig } from '@playwright/test';

/** py-shop has no page: its end-to-end tests drive the HTTP API with Playwright's request context. */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  workers: 1,
  outputDir: path.join(import.meta.dirname, 'test-results'),
  timeout: 30_000,
  use: { baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:8000' },
});
