import { specPath } from '@harness/contracts';
import { loadSpec } from '@harness/kit';

/** The payment OpenAPI document (bundled by the contracts' generator), read once. */
export const paymentSpec = loadSpec(specPath('payment'));
