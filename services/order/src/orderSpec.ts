import { specPath } from '@harness/contracts';
import { loadSpec } from '@harness/kit';

/** The order OpenAPI document (bundled by the contracts' generator), read once. */
export const orderSpec = loadSpec(specPath('order'));
