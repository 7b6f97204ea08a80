import type { LineItemSpec } from '../scenario/Scenario.ts';
import type { ResponseRecord } from './ResponseRecord.ts';

/**
 * The kit runner's workload client of the entry service's public API (the system's kit domain
 * provides it): places orders under an Idempotency-Key and reads them back. Every request has a
 * deadline, so a workload is bounded in time as well as count.
 */
export interface WorkloadClient {
  placeOrder(
    stream: string,
    key: string,
    items: readonly LineItemSpec[],
    paymentToken: string,
  ): Promise<ResponseRecord>;
  readOrder(stream: string, orderId: string): Promise<ResponseRecord>;
  /** Reads the catalogue (browse-products streams); a client without it cannot run them. */
  browseProducts?(stream: string): Promise<ResponseRecord>;
  /** Reads the caller's order history (read-history streams); a client without it cannot run them. */
  readHistory?(stream: string): Promise<ResponseRecord>;
}
