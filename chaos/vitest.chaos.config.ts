import { defineConfig } from 'vitest/config';

// Temporary, until the root vitest.config.ts lists chaos as a project: run with
// `npx vitest run --config chaos/vitest.chaos.config.ts` from the repository root.
export default defineConfig({
  test: {
    globalSetup: ['services/runtime/src/testing/globalSetup.ts'],
    projects: [
      {
        test: {
          name: '@harness/chaos',
          root: 'chaos',
          include: ['test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
