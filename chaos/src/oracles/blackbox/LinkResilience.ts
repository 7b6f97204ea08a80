/** What a caller promises on a link: declared per link in harness.config.ts (`links[].resilience`). */
export type { BreakerPromise, BulkheadPromise, LinkResilience, RetryPromise } from '@harness/runtime';
