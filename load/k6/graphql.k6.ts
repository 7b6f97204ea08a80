import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import type { Options } from 'k6/options';
import { orderConfirmedLatency, orders } from './metrics.k6.ts';
import { isProfileName, PROFILE_DEFAULTS, PROFILE_NAMES, scenarioFor } from './profiles.k6.ts';
import { env, loadSettings } from './settings.k6.ts';
import { writeSummary, type SummaryData } from './summary.k6.ts';
import { sloWith, thresholdsFor } from './thresholds.k6.ts';
import { uuidV4 } from './uuid.k6.ts';

/**
 * The shopper journey over the gateway's GraphQL API (/api/graphql) under one of the shared
 * profiles, sending the storefront's own operations (contracts/graphql/operations/*.graphql):
 *   k6 run -e PROFILE=smoke -e BASE_URL=http://127.0.0.1:PORT -e API_KEY=... load/k6/graphql.k6.ts
 * `harness load graphql` runs it with GRAPHQL_URL, the origin of link L10's proxy (storefront →
 * gateway over GraphQL), so the load crosses that link as the storefront's does; without it, BASE_URL.
 * Requests are tagged `endpoint: graphql_<operation>`, each operation gated on the p95 SLO; a
 * GraphQL error is a failed check.
 */
const operations = {
  Products: open('../../contracts/graphql/operations/products.graphql'),
  PlaceOrder: open('../../contracts/graphql/operations/placeOrder.graphql'),
  OrderView: open('../../contracts/graphql/operations/orderView.graphql'),
};
type OperationName = keyof typeof operations;

const profile = env('PROFILE') ?? 'smoke';
if (!isProfileName(profile)) throw new Error(`unknown PROFILE "${profile}"; one of ${PROFILE_NAMES.join(', ')}`);
const settings = loadSettings();
const defaults = PROFILE_DEFAULTS[profile];
const graphqlUrl = (env('GRAPHQL_URL') ?? settings.baseUrl).replace(/\/+$/, '');
const slo = sloWith(settings);
// The shared SLOs, with each GraphQL operation's p95 in place of the REST checkout's.
const { 'http_req_duration{endpoint:place_order}': _restCheckout, ...shared } = thresholdsFor(profile, slo);
const perOperation = Object.fromEntries(
  (['Products', 'PlaceOrder', 'OrderView'] as const).map((name) => [
    `http_req_duration{endpoint:graphql_${name}}`,
    [`p(95)<${slo.p95Ms}`],
  ]),
);

export const options: Options = {
  scenarios: { shoppers: scenarioFor(profile, settings.rate ?? defaults.rate, settings.duration ?? defaults.duration) },
  thresholds: { ...shared, ...perOperation, checks: ['rate>0.99'] },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
  setupTimeout: '30s',
  userAgent: 'harness-load/1.0 (k6)',
};

type Json = Record<string, unknown>;

interface GraphqlAnswer {
  status: number;
  data: Json | undefined;
  codes: string[];
}

function graphql(operationName: OperationName, variables: Json = {}): GraphqlAnswer {
  const res = http.post(
    `${graphqlUrl}/api/graphql`,
    JSON.stringify({ operationName, query: operations[operationName], variables }),
    {
      headers: { Authorization: `Bearer ${settings.apiKey}`, 'Content-Type': 'application/json' },
      tags: { endpoint: `graphql_${operationName}` },
    },
  );
  let body: { data?: Json | null; errors?: { extensions?: { code?: string } }[] } = {};
  try {
    body = res.json() as typeof body;
  } catch {
    // not JSON: no data, no codes; the check below fails
  }
  const codes = (body.errors ?? []).map((error) => error.extensions?.code ?? 'NO_CODE');
  return { status: res.status, data: body.data ?? undefined, codes };
}

/** Refuses to start the load when the GraphQL API cannot be reached with this key. */
export function setup(): void {
  const answer = graphql('Products');
  if (answer.status !== 200 || answer.codes.length > 0)
    exec.test.abort(`preflight Products answered ${answer.status} ${answer.codes.join(', ')}`);
}

export default function (): void {
  const catalog = graphql('Products');
  check(catalog, { 'Products: no errors': (answer) => answer.status === 200 && answer.codes.length === 0 });

  const started = Date.now();
  const placed = graphql('PlaceOrder', {
    input: { items: [{ productId: settings.productId, quantity: 1 }], paymentToken: 'tok_approve' },
    idempotencyKey: uuidV4(),
  });
  const payload = placed.data?.placeOrder as { orderId?: string; status?: string } | undefined;
  check(placed, { 'PlaceOrder: an order id': () => typeof payload?.orderId === 'string' });
  if (typeof payload?.orderId !== 'string') {
    orders.add(1, { outcome: placed.codes[0] === 'DEPENDENCY_UNAVAILABLE' ? 'unavailable' : 'error' });
    return;
  }
  if (payload.status === 'CONFIRMED') orderConfirmedLatency.add(Date.now() - started);
  orders.add(1, { outcome: payload.status === 'CONFIRMED' ? 'confirmed' : 'pending' });

  const view = graphql('OrderView', { id: payload.orderId });
  check(view, {
    'OrderView: the order': (answer) =>
      (answer.data?.order as { order?: { id?: string } } | undefined)?.order?.id === payload.orderId,
  });
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return writeSummary(data);
}
