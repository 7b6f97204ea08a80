import { check } from 'k6';
import grpc from 'k6/net/grpc';
import type { Options } from 'k6/options';
import { seconds, parseDurationSeconds } from './duration.k6.ts';
import { env, numberEnv, requiredEnv } from './settings.k6.ts';
import { writeSummary, type SummaryData } from './summary.k6.ts';

/**
 * Load on the gRPC link L11 alone: GetStockLevels (harness.inventory.v1.StockLevelService) at a
 * constant rate through the link's Toxiproxy proxy, as the gateway calls it (the service token as
 * `x-service-token` metadata, a 300 ms deadline). The gate: every call OK, p95 under 50 ms.
 * GRPC_ADDRESS (host:port) and SERVICE_TOKEN come from `harness load grpc-stock`.
 */
const address = requiredEnv('GRPC_ADDRESS');
const serviceToken = requiredEnv('SERVICE_TOKEN');
const productId = env('PRODUCT_ID') ?? 'p-bulk';
const rate = numberEnv('RATE') ?? 50;
const duration = env('DURATION') ?? '20s';
const p95Ms = numberEnv('P95_MS') ?? 50;

const client = new grpc.Client();
// The contract itself, as buf lints it (relative to this script: load/k6 → contracts/proto).
client.load(['../../contracts/proto'], 'harness/inventory/v1/stock_levels.proto');

export const options: Options = {
  scenarios: {
    stock: {
      executor: 'constant-arrival-rate',
      rate,
      timeUnit: '1s',
      duration: seconds(parseDurationSeconds(duration)),
      preAllocatedVUs: Math.max(2, Math.ceil(rate * 0.1)),
      maxVUs: Math.max(10, rate),
      gracefulStop: '5s',
    },
  },
  thresholds: {
    grpc_req_duration: [`p(95)<${p95Ms}`],
    checks: ['rate>0.99'],
  },
};

let connected = false;

export default function (): void {
  // One connection (HTTP/2 channel) per VU, kept across its iterations, as a gRPC client keeps it.
  if (!connected) {
    client.connect(address, { plaintext: true, timeout: '2s' });
    connected = true;
  }
  const response = client.invoke(
    'harness.inventory.v1.StockLevelService/GetStockLevels',
    { productIds: [productId] },
    { metadata: { 'x-service-token': serviceToken }, timeout: '300ms' },
  );
  check(response, {
    'status OK': (r) => r?.status === grpc.StatusOK,
    'one level for the product': (r) =>
      (r?.message as { levels?: Array<{ productId?: string }> } | null)?.levels?.[0]?.productId === productId,
  });
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return writeSummary(data);
}
