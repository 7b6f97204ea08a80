import { specPath } from '@harness/contracts';
import { loadSpec } from '@harness/kit';

/** The inventory OpenAPI document (bundled by the contracts' generator), read once. */
export const inventorySpec = loadSpec(specPath('inventory'));
