import { readFileSync } from 'node:fs';
import { specPath } from '@harness/contracts';

/** The inventory OpenAPI document (bundled by the contracts' generator), read once. */
export const inventorySpec: object = JSON.parse(readFileSync(specPath('inventory'), 'utf8')) as object;
