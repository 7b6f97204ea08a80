import { specPath } from '@harness/contracts';
import { loadSpec } from '@harness/kit';

/** The notification OpenAPI document (bundled by the contracts' generator), read once. */
export const notificationSpec = loadSpec(specPath('notification'));
