import http from 'k6/http';
import type { Options } from 'k6/options';
import { orders, type OrderOutcome } from './metrics.k6.ts';
import { env, numberEnv, requiredEnv } from './settings.k6.ts';
import { writeSummary, type SummaryData } from './summary.k6.ts';
import { recordOnly } from './thresholds.k6.ts';
import { uuidV4 } from './uuid.k6.ts';

/**
 * The benchmark's load: only POST orders (approved payment, the load product), against the
 * gateway (Authorization: Bearer API_KEY) or straight against the order service
 * (X-Service-Token: SERVICE_TOKEN), either at a fixed arrival rate (MODE=rate, RATE/s) or at a
 * fixed concurrency (MODE=vus, VUS in a closed loop: throughput is then the ceiling).
 * A measurement, not a gate: no SLO thresholds here; `harness bench` judges the figures.
 */
const ordersUrl = requiredEnv('ORDERS_URL');
const apiKey = env('API_KEY');
const serviceToken = env('SERVICE_TOKEN');
const productId = env('PRODUCT_ID') ?? 'p-bulk';
const mode = env('MODE') ?? 'rate';
const duration = env('DURATION') ?? '10s';
const rate = numberEnv('RATE') ?? 500;
const vus = numberEnv('VUS') ?? 32;

const auth: Record<string, string> = apiKey
  ? { Authorization: `Bearer ${apiKey}` }
  : serviceToken
    ? { 'X-Service-Token': serviceToken }
    : {};

export const options: Options = {
  scenarios: {
    orders:
      mode === 'vus'
        ? { executor: 'constant-vus', vus, duration, gracefulStop: '5s' }
        : {
            executor: 'constant-arrival-rate',
            rate,
            timeUnit: '1s',
            duration,
            preAllocatedVUs: Math.max(4, Math.ceil(rate * 0.1)),
            maxVUs: Math.min(600, Math.max(20, rate)),
            gracefulStop: '5s',
          },
  },
  thresholds: recordOnly(),
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
  discardResponseBodies: false,
  userAgent: 'harness-bench/1.0 (k6)',
};

http.setResponseCallback(http.expectedStatuses(201));

function outcomeOf(status: number): OrderOutcome {
  if (status === 201) return 'confirmed';
  if (status === 202) return 'pending';
  if (status === 402) return 'declined';
  if (status === 409) return 'out_of_stock';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'unavailable';
  return 'error';
}

export default function (): void {
  const res = http.post(
    ordersUrl,
    JSON.stringify({ items: [{ productId, quantity: 1 }], paymentToken: 'tok_approve' }),
    {
      headers: { ...auth, 'Content-Type': 'application/json', 'Idempotency-Key': uuidV4() },
      tags: { endpoint: 'place_order' },
      responseType: 'none',
    },
  );
  orders.add(1, { outcome: outcomeOf(res.status) });
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return writeSummary(data);
}
