/**
 * What a `harness.config.ts` and a scenario file import: `defineConfig` and `defineScenario` from
 * '@harness/ci/config'. Leaf modules (types and identity functions), so loading a config never
 * loads the harness itself.
 */
export { defineConfig } from '@harness/runtime/config';
export type * from '@harness/runtime/config';
export { defineScenario } from '@harness/chaos/scenario';
export type * from '@harness/chaos/scenario';
