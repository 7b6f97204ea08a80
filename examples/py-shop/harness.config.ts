import os from 'node:os';
import path from 'node:path';
import { defineConfig, type StartedServiceConfig } from '@harness/ci/config';
import { checkouts } from './chaos/checkout.ts';

/**
 * py-shop: three Python services (FastAPI, psycopg, aio-pika, tenacity, pybreaker) that are not
 * ours, described for the harness. Its virtualenv comes from `bash examples/py-shop/setup.sh`
 * (run by `npm run setup`).
 */
const tools =
  process.env.HARNESS_TOOLS_DIR ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'harness');
const python = path.join(tools, 'venvs', 'py-shop', 'bin', 'python');

/** A service of the shop: `python -m uvicorn <name>.app:app` on the port the harness gives it. */
const uvicorn = (name: string, extra: Partial<StartedServiceConfig>): StartedServiceConfig => ({
  command: python,
  args: ['-m', 'uvicorn', `${name}.app:app`, '--host', '127.0.0.1', '--port', '{port}', '--no-access-log'],
  ready: '/health',
  database: true,
  openapi: `contracts/openapi/${name}.yaml`,
  ...extra,
});

export default defineConfig({
  name: 'py-shop',
  services: {
    orders: uvicorn('orders', {
      description: 'places orders: charges them through payments, publishes OrderConfirmed through its outbox',
      broker: true,
      env: { PAYMENTS_URL: '{url:payments}', ORDERS_SETTLE_DEADLINE_MS: '8000' },
    }),
    payments: uvicorn('payments', { description: 'charges with Idempotency-Key semantics' }),
    shipping: uvicorn('shipping', {
      description: 'ships confirmed orders: an idempotent consumer of OrderConfirmed',
      broker: true,
    }),
  },
  links: [
    {
      id: 'P1',
      kind: 'http',
      from: 'orders',
      to: 'payments',
      contract: { openapi: 'contracts/openapi/payments.yaml' },
      purpose: 'charge an order',
      // What orders promises on this link (its defaults): judged by the black-box oracles. tenacity's
      // exponential wait plus up to 100 ms of jitter stays inside a 200 ms → 1 s envelope.
      resilience: {
        timeoutMs: 1000,
        retry: { attempts: 3, initialDelayMs: 200, maxDelayMs: 1000 },
        breaker: { threshold: 5, halfOpenAfterMs: 2000 },
        bulkhead: { limit: 16 },
      },
    },
    {
      id: 'M1',
      kind: 'amqp',
      from: 'orders',
      to: 'shipping',
      contract: { asyncapi: 'contracts/asyncapi/events.yaml', messages: ['OrderConfirmed'] },
      purpose: 'ship confirmed orders',
    },
  ],
  contracts: {
    pacts: 'pacts',
    // pact-python, in the consumers' own language; the pact files land in PACT_DIR.
    consumerTests: [
      {
        name: 'pact-python',
        command: python,
        args: ['-m', 'pytest', 'pact', '-q'],
        env: { PACT_DO_NOT_TRACK: 'true' },
      },
    ],
    providers: {
      payments: { states: '/_pact/provider-states', env: { PACT_PROVIDER_STATES: 'on' } },
      orders: { messages: '/_pact/messages', env: { PACT_PROVIDER_STATES: 'on' } },
    },
  },
  load: {
    target: 'orders',
    profiles: {
      smoke: {
        script: 'load/checkout.k6.ts',
        vus: 2,
        duration: '10s',
        thresholds: {
          http_req_failed: ['rate<0.01'],
          checks: ['rate>0.99'],
          checkout_confirmed_ms: ['p(95)<500'],
        },
      },
      average: {
        script: 'load/checkout.k6.ts',
        vus: 8,
        duration: '30s',
        thresholds: {
          http_req_failed: ['rate<0.01'],
          checks: ['rate>0.99'],
          checkout_confirmed_ms: ['p(95)<800', 'p(99)<1500'],
        },
      },
    },
  },
  e2e: { playwright: 'e2e/playwright.config.ts', baseUrl: 'orders' },
  // `harness mutate`: each resilience mechanism of orders switched off, and the scenario that must catch it.
  mutate: {
    mutants: [
      {
        name: 'breaker-off',
        description: "orders' breaker to payments never opens",
        env: { orders: { ORDERS_BREAKER: 'off' } },
        scenarios: ['payments-down-opens-breaker'],
      },
      {
        name: 'retries-off',
        description: 'orders makes one attempt per charge',
        env: { orders: { ORDERS_RETRIES: 'off' } },
        scenarios: ['payments-fail-first-two-attempts'],
      },
    ],
  },
  // `harness explore`: every single fault the topology allows, each under these checkouts.
  explore: { workload: [checkouts({ count: 60, intervalMs: 100 })], faultMs: 4_000 },
  chaos: {
    scenarios: ['chaos/*.scenario.ts'],
    invariants: [
      {
        name: 'at-most-one-charge-per-order',
        database: 'payments',
        sql: 'SELECT order_id, count(*) FROM charges GROUP BY order_id HAVING count(*) > 1',
      },
      { name: 'orders-terminal', database: 'orders', sql: "SELECT id FROM orders WHERE status = 'PENDING'" },
      { name: 'outbox-published', database: 'orders', sql: 'SELECT event_id FROM outbox WHERE published_at IS NULL' },
      {
        name: 'confirmed-shipped-once',
        async check({ query }) {
          const confirmed = await query('orders', "SELECT id::text AS id FROM orders WHERE status = 'CONFIRMED'");
          const shipped = await query(
            'shipping',
            'SELECT order_id, count(*)::int AS n FROM shipments GROUP BY order_id',
          );
          const count = new Map(shipped.map((row) => [String(row.order_id), Number(row.n)]));
          return confirmed
            .map((row) => String(row.id))
            .filter((id) => count.get(id) !== 1)
            .map((id) => `order ${id} shipped ${count.get(id) ?? 0} times`);
        },
      },
    ],
  },
});
