import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const pactDir = path.dirname(fileURLToPath(import.meta.url));

/**
 * The contract stage's own vitest run (`harness contracts`): consumer tests first (they write
 * contracts/pacts), then provider verifications (they read them), one PostgreSQL + RabbitMQ for
 * both. The workspace's `@harness/pact` project (test/) holds the unit and drift tests instead.
 */
export default defineConfig({
  test: {
    globalSetup: [path.join(pactDir, 'src/testing/contractStageSetup.ts')],
    projects: [
      {
        test: {
          name: 'pact-consumers',
          root: pactDir,
          include: ['consumers/**/*.pact.test.ts'],
          // One worker loads Pact's native core, fastify and the services once for every file.
          isolate: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // groupOrder 0 with a single worker would make vitest run this group last.
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'pact-providers',
          root: pactDir,
          include: ['providers/**/*.verify.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          name: '@harness/pact',
          root: pactDir,
          include: ['test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
