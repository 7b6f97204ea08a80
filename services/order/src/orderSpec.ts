import { readFileSync } from 'node:fs';
import { specPath } from '@harness/contracts';

/** The order OpenAPI document (bundled by the contracts' generator), read once. */
export const orderSpec: object = JSON.parse(readFileSync(specPath('order'), 'utf8')) as object;
