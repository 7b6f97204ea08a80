import { readFileSync } from 'node:fs';
import { specPath } from '@harness/contracts';

/** The payment OpenAPI document (bundled by the contracts' generator), read once. */
export const paymentSpec: object = JSON.parse(readFileSync(specPath('payment'), 'utf8')) as object;
