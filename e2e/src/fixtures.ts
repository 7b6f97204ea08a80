import { test as base, expect } from '@playwright/test';
import { ServiceDatabases } from './serviceDatabases.ts';
import { StorefrontPage } from './storefrontPage.ts';
import { systemFromEnv, type SystemUnderTest } from './systemUnderTest.ts';
import { systemRecords, type SystemRecords } from './systemRecords.ts';
import { toxiproxyClient, type ToxiproxyClient } from './toxiproxy.ts';

interface WorkerFixtures {
  system: SystemUnderTest;
  records: SystemRecords;
  toxiproxy: ToxiproxyClient;
}

interface TestFixtures {
  storefront: StorefrontPage;
  /** Uncaught errors of the page: every flow must end without any. */
  pageErrors: string[];
}

/** Playwright's `test` with the running system, its databases, Toxiproxy and the storefront page. */
export const test = base.extend<TestFixtures, WorkerFixtures>({
  system: [
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies by destructuring
    async ({}, use) => {
      await use(systemFromEnv());
    },
    { scope: 'worker' },
  ],
  records: [
    async ({ system }, use) => {
      const databases = new ServiceDatabases(system.postgresUrl);
      await use(systemRecords(databases));
      await databases.close();
    },
    { scope: 'worker' },
  ],
  toxiproxy: [async ({ system }, use) => use(toxiproxyClient(system.toxiproxyUrl)), { scope: 'worker' }],
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await use(errors);
      expect(errors, 'uncaught errors in the storefront page').toEqual([]);
    },
    { auto: true },
  ],
  storefront: async ({ page, system }, use) => {
    await use(new StorefrontPage(page, system.storefrontUrl));
  },
});

export { expect };
