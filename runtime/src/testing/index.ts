// @harness/runtime/testing: helpers for tests that run under the root vitest global setup
// (./globalSetup.ts). Test-only: it imports vitest, so production code keeps to @harness/runtime.
export { infra } from './infra.ts';
export { eventually } from './eventually.ts';
export { uniqueName } from './uniqueName.ts';
export { createTestDatabase, type TestDatabase } from './testDatabase.ts';
export { createDatabaseProxy, type DatabaseProxy, type ProxyStream } from './databaseProxy.ts';
export { startServiceProcess, waitUntilOk, type RunningService } from './serviceProcess.ts';
export { freePort } from '../ports.ts';
export { startTestKafka, type TestKafka } from './testKafka.ts';
