import { defineConfig } from 'vitest/config';

// One project per workspace package; tests that need real infrastructure get it from the
// global setup in @harness/runtime (one PostgreSQL + RabbitMQ + Toxiproxy for the whole run).
const packages = [
  'contracts',
  'services/runtime',
  'services/kit',
  'services/inventory',
  'services/payment',
  'services/order',
  'services/notification',
  'services/gateway',
  'services/storefront',
  'pact',
  'chaos',
  'ci',
];

export default defineConfig({
  test: {
    globalSetup: ['services/runtime/src/testing/globalSetup.ts'],
    projects: packages.map((dir) => ({
      test: {
        name: `@harness/${dir.split('/').pop() ?? dir}`,
        root: dir,
        include: ['test/**/*.test.ts'],
        testTimeout: 60_000,
        hookTimeout: 120_000,
      },
    })),
  },
});
