import { specPath } from '@harness/contracts';
import { loadSpec } from '@harness/kit';

/** The gateway OpenAPI document (bundled by the contracts' generator), read once. */
export const gatewaySpec = loadSpec(specPath('gateway'));
