/**
 * What a `harness.config.ts` imports: `import { defineConfig } from '@harness/ci/config'`. A leaf
 * module (types and an identity function), so loading a config never loads the harness itself.
 */
export { defineConfig } from '@harness/runtime/config';
export type * from '@harness/runtime/config';
