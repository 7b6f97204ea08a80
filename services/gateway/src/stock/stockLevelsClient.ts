import { credentials } from '@grpc/grpc-js';
import {
  createGrpcCaller,
  type GrpcResult,
  type ResiliencePolicyDeps,
  type ResilienceSettingsInput,
} from '@harness/kit';
import {
  StockLevelServiceClient,
  type GetStockLevelsResponse,
} from '@harness/contracts/grpc/inventory/v1/stock_levels';

/** Inventory's StockLevelService over gRPC (link L11), behind its own resilience policy. */
export interface StockLevelsClient {
  getStockLevels(productIds: readonly string[]): Promise<GrpcResult<GetStockLevelsResponse>>;
  close(): void;
}

export interface StockLevelsClientOptions {
  /** host:port of inventory's gRPC server (through the L11 proxy in a harness run). */
  address: string;
  serviceToken: string;
  /** Deadline per attempt (`timeoutMs`), retries, breaker and bulkhead (resilience.ts). */
  resilience: ResilienceSettingsInput;
  observers?: Omit<ResiliencePolicyDeps, 'isRetryable' | 'isBreakerFailure'>;
}

/**
 * The channel reconnects quickly after a reset (100 ms, at most 1 s between tries) so that a link
 * that comes back is used again within the breaker's half-open wait; a call made while the channel
 * is down fails at once with UNAVAILABLE (no wait-for-ready), which the policy may retry.
 */
const CHANNEL_OPTIONS = {
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1_000,
  'grpc.max_receive_message_length': 1_048_576,
};

export function createStockLevelsClient(options: StockLevelsClientOptions): StockLevelsClient {
  const client = new StockLevelServiceClient(options.address, credentials.createInsecure(), CHANNEL_OPTIONS);
  const caller = createGrpcCaller('inventory-grpc', options.resilience, {
    ...options.observers,
    serviceToken: options.serviceToken,
  });
  const method = client.getStockLevels.bind(client);
  return {
    // GetStockLevels is `idempotency_level = NO_SIDE_EFFECTS` in the proto: DEADLINE_EXCEEDED is retried too.
    getStockLevels: (productIds) => caller.call(method, { productIds: [...productIds] }, { idempotent: true }),
    close: () => client.close(),
  };
}
