import os from 'node:os';
import path from 'node:path';
import { defineConfig, type StartedServiceConfig } from '@harness/ci/config';

/**
 * The reference system, described like any other system the harness runs: six services in
 * TypeScript on Node 24, twelve links (ten HTTP and AMQP, one GraphQL, one gRPC), PostgreSQL and RabbitMQ. `harness up`, the tests, chaos and
 * the contract stage all take its topology from here.
 */

/**
 * How each service's Node runs. A young generation capped at 4 MiB per semi-space (V8 grows it to
 * 16 MiB or more under load and keeps it) and two malloc arenas keep five idle services about
 * 100 MiB smaller after a load run, for no measurable CPU per order; the compile cache makes
 * restarts (chaos kills and restarts services) cheaper. HARNESS_SERVICE_NODE_FLAGS replaces the
 * flags; the env settings yield to values already set.
 */
const nodeFlags = (process.env.HARNESS_SERVICE_NODE_FLAGS ?? '--max-semi-space-size=4').split(/\s+/).filter(Boolean);
const nodeEnv = {
  MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
  NODE_COMPILE_CACHE:
    process.env.NODE_COMPILE_CACHE ?? path.join(os.homedir(), '.cache', 'harness', 'node-compile-cache'),
  SERVICE_TOKEN: '{secret:serviceToken}',
  // Every response is checked against the spec (a mismatch is a 500) in the systems the harness
  // starts; `harness bench` turns it off to measure what production runs.
  HARNESS_VALIDATE_RESPONSES: process.env.HARNESS_VALIDATE_RESPONSES ?? 'enforce',
};

/** A reference service: services/<name>/src/main.ts run by this Node, ready on /health/ready. */
const nodeService = (name: string, extra: Partial<StartedServiceConfig>): StartedServiceConfig => ({
  command: process.execPath,
  args: [...nodeFlags, `services/${name}/src/main.ts`],
  ...extra,
  env: { ...nodeEnv, ...extra.env },
});

const apiKeys = JSON.stringify([
  { id: 'demo', key: '{secret:demoApiKey}', scopes: ['products:read', 'orders:read', 'orders:write'] },
  { id: 'read-only', key: '{secret:readOnlyApiKey}', scopes: ['products:read'] },
]);

export default defineConfig({
  name: 'reference-shop',
  secrets: ['serviceToken', 'demoApiKey', 'readOnlyApiKey'],
  services: {
    gateway: nodeService('gateway', {
      description: 'public API /api/v1, auth, rate limit, order view, order history read model (CQRS)',
      database: true,
      broker: true,
      openapi: 'contracts/openapi/gateway.yaml',
      env: { API_KEYS: apiKeys, CORS_ORIGIN: '{serviceUrl:storefront}' },
    }),
    order: nodeService('order', {
      description: 'order saga, outbox',
      database: true,
      broker: true,
      openapi: 'contracts/openapi/order.yaml',
    }),
    inventory: nodeService('inventory', {
      description: 'products, stock, reservations',
      database: true,
      broker: true,
      openapi: 'contracts/openapi/inventory.yaml',
    }),
    payment: nodeService('payment', {
      description: 'charges and refunds with idempotency keys, simulated PSP',
      database: true,
      openapi: 'contracts/openapi/payment.yaml',
    }),
    notification: nodeService('notification', {
      description: 'idempotent consumer of order events, sent emails',
      database: true,
      broker: true,
      openapi: 'contracts/openapi/notification.yaml',
    }),
    storefront: nodeService('storefront', {
      description: 'web page using the generated gateway client',
      env: { API_KEY: '{secret:demoApiKey}' },
    }),
  },
  links: [
    {
      id: 'L1',
      kind: 'http',
      from: 'storefront',
      to: 'gateway',
      contract: { openapi: 'contracts/openapi/gateway.yaml' },
      purpose: 'browse, order, order status',
    },
    {
      id: 'L2',
      kind: 'http',
      from: 'gateway',
      to: 'order',
      contract: { openapi: 'contracts/openapi/order.yaml' },
      purpose: 'place and read orders',
    },
    {
      id: 'L3',
      kind: 'http',
      from: 'gateway',
      to: 'inventory',
      contract: { openapi: 'contracts/openapi/inventory.yaml' },
      purpose: 'catalog',
    },
    {
      id: 'L4',
      kind: 'http',
      from: 'order',
      to: 'inventory',
      contract: { openapi: 'contracts/openapi/inventory.yaml' },
      purpose: 'reserve and release stock',
    },
    {
      id: 'L5',
      kind: 'http',
      from: 'order',
      to: 'payment',
      contract: { openapi: 'contracts/openapi/payment.yaml' },
      purpose: 'charges and refunds',
    },
    {
      id: 'L6',
      kind: 'amqp',
      from: 'order',
      to: 'notification',
      contract: { asyncapi: 'contracts/asyncapi/order-events.yaml', messages: ['OrderConfirmed', 'OrderCancelled'] },
      purpose: 'order events to notify customers',
    },
    {
      id: 'L7',
      kind: 'amqp',
      from: 'order',
      to: 'inventory',
      contract: { asyncapi: 'contracts/asyncapi/order-events.yaml', messages: ['OrderCancelled'] },
      purpose: 'release stock of cancelled orders',
    },
    {
      id: 'L8',
      kind: 'http',
      from: 'gateway',
      to: 'notification',
      contract: { openapi: 'contracts/openapi/notification.yaml' },
      purpose: 'notifications in the order view',
    },
    {
      id: 'L9',
      kind: 'amqp',
      from: 'order',
      to: 'gateway',
      contract: { asyncapi: 'contracts/asyncapi/order-events.yaml', messages: ['OrderConfirmed', 'OrderCancelled'] },
      purpose: "order events into the gateway's order history read model (CQRS)",
    },
    {
      // The order view over GraphQL (POST /api/graphql): its own proxy, apart from L1's REST calls.
      id: 'L10',
      kind: 'graphql',
      from: 'storefront',
      to: 'gateway',
      contract: { graphql: 'contracts/graphql/gateway.graphql' },
      purpose: 'order view over GraphQL (depth and complexity limits, codes in extensions.code)',
    },
    {
      id: 'L11',
      kind: 'grpc',
      from: 'gateway',
      to: 'inventory',
      contract: {
        proto: 'contracts/proto/harness/inventory/v1/stock_levels.proto',
        service: 'harness.inventory.v1.StockLevelService',
      },
      purpose: 'stock of the products in the order view (gRPC, deadline per call)',
    },
    {
      id: 'L12',
      kind: 'amqp',
      from: 'notification',
      to: 'gateway',
      contract: { asyncapi: 'contracts/asyncapi/notification-events.yaml', messages: ['NotificationSent'] },
      purpose: "sent e-mails into the gateway's order history read model (CQRS)",
    },
  ],
  chaos: {
    // Built on the harness kit: its scenarios are judged from the kit's evidence as well as the wire.
    runner: 'kit',
    entry: 'gateway',
    // The shop's API, data and events as the kit runner needs them: workload client, invariants.
    kit: 'reference/chaos/kit.ts',
    scenarios: ['reference/chaos/scenarios/*.scenario.ts'],
    // The same mechanisms as in production on a shorter clock, so a scenario sees a breaker open,
    // half-open and close, a saga past its deadline, an audit, a retry queue, all within seconds.
    serviceEnv: {
      // The read model is stale past 2 s and asks its backlog four times a second; the gRPC stock
      // link (L11) has a 150 ms deadline and its breaker tries again after 2 s.
      gateway: {
        LOG_LEVEL: 'warn',
        READ_MODEL_STALE_AFTER_MS: '2000',
        READ_MODEL_LAG_CHECK_MS: '250',
        STOCK_DEADLINE_MS: '150',
        STOCK_BREAKER_HALF_OPEN_MS: '2000',
      },
      order: {
        LOG_LEVEL: 'warn',
        PAYMENT_TIMEOUT_MS: '500',
        PAYMENT_RETRY_ATTEMPTS: '3',
        PAYMENT_BREAKER_THRESHOLD: '3',
        PAYMENT_BREAKER_HALF_OPEN_MS: '2000',
        INVENTORY_TIMEOUT_MS: '400',
        INVENTORY_RETRY_ATTEMPTS: '3',
        INVENTORY_BREAKER_THRESHOLD: '5',
        INVENTORY_BREAKER_HALF_OPEN_MS: '2000',
        ORDER_REQUEST_BUDGET_MS: '2500',
        SAGA_LEASE_MS: '3000',
        SAGA_DEADLINE_MS: '8000',
        SAGA_MAX_ATTEMPTS: '5',
        SAGA_RETRY_BASE_MS: '300',
        SAGA_RETRY_MAX_MS: '1500',
        SAGA_AUDIT_DELAY_MS: '1000',
        SAGA_RECOVERY_INTERVAL_MS: '250',
        // Prices do not change during a run; a long cache keeps catalog reads out of the faults.
        PRODUCT_CACHE_TTL_MS: '600000',
        OUTBOX_POLL_INTERVAL_MS: '100',
      },
      inventory: { LOG_LEVEL: 'warn', CONSUMER_RETRY_DELAY_MS: '500', CONSUMER_MAX_ATTEMPTS: '3' },
      payment: { LOG_LEVEL: 'warn' },
      notification: { LOG_LEVEL: 'warn', CONSUMER_RETRY_DELAY_MS: '500', CONSUMER_MAX_ATTEMPTS: '3' },
    },
  },
  // `harness mutate`: each resilience mechanism of the shop turned off or wrong, through its own
  // setting where it has one, else through HARNESS_MUTANTS (services/kit/src/mutants.ts: honoured
  // only in processes the harness started). The CI profile's scenarios named here must catch every one.
  mutate: {
    mutants: [
      {
        name: 'breaker-off',
        description: "order's payment breaker would need a million failures to open",
        env: { order: { PAYMENT_BREAKER_THRESHOLD: '1000000' } },
        scenarios: ['payment-latency-opens-breaker'],
      },
      {
        name: 'stock-breaker-off',
        description: "the gateway's breaker on the gRPC stock link (L11) would need a million failures to open",
        env: { gateway: { STOCK_BREAKER_THRESHOLD: '1000000' } },
        scenarios: ['stock-latency-beyond-deadline-opens-breaker'],
      },
      {
        name: 'stock-retries-off',
        description: 'the gateway makes one attempt per gRPC stock call (L11), UNAVAILABLE included',
        env: { gateway: { STOCK_RETRY_ATTEMPTS: '1' } },
        scenarios: ['stock-resets-bounded-retries', 'stock-unavailable-from-the-tap'],
      },
      {
        name: 'retries-off',
        description: 'order makes one attempt per call to inventory and to payment',
        env: { order: { INVENTORY_RETRY_ATTEMPTS: '1', PAYMENT_RETRY_ATTEMPTS: '1' } },
        scenarios: ['inventory-reset-peer-retries', 'payment-answer-cut-first-attempt'],
      },
      {
        name: 'bulkhead-off',
        description: "order's inventory bulkhead too wide to ever fill",
        env: { order: { INVENTORY_BULKHEAD_LIMIT: '50', INVENTORY_BULKHEAD_QUEUE: '50' } },
        scenarios: ['inventory-db-latency-bulkhead'],
      },
      {
        name: 'timeout-unbounded',
        description: 'order waits ten minutes for an answer from payment and from inventory',
        env: { order: { PAYMENT_TIMEOUT_MS: '600000', INVENTORY_TIMEOUT_MS: '600000' } },
        scenarios: ['payment-latency-opens-breaker'],
      },
      {
        name: 'retry-jitter-off',
        description: "every retry of order's calls waits its full backoff ceiling, without jitter",
        env: { order: { HARNESS_MUTANTS: 'retry-jitter-off' } },
        scenarios: ['payment-answer-cut-first-attempt'],
      },
      {
        name: 'idempotency-store-bypassed',
        description: 'payment stores every charge and refund under a key of its own: a retry charges again',
        env: { payment: { HARNESS_MUTANTS: 'idempotency-store-bypassed' } },
        scenarios: ['payment-answer-cut-first-attempt'],
      },
      {
        name: 'outbox-bypassed',
        description:
          "order publishes a settled order's event straight to the broker after the update, not through the outbox",
        env: { order: { HARNESS_MUTANTS: 'outbox-bypassed' } },
        scenarios: ['concurrent-duplicate-checkout'],
      },
      {
        name: 'consumer-dedupe-off',
        description:
          "the kit consumers of notification, inventory and the gateway's read model handle an event id they already processed again",
        env: {
          notification: { HARNESS_MUTANTS: 'consumer-dedupe-off' },
          gateway: { HARNESS_MUTANTS: 'consumer-dedupe-off' },
          inventory: { HARNESS_MUTANTS: 'consumer-dedupe-off' },
        },
        scenarios: ['poison-and-duplicate-messages'],
      },
      {
        name: 'compensation-skipped',
        description: "order's saga cancels without undoing anything: no stock release, no charge audit and refund",
        env: { order: { HARNESS_MUTANTS: 'compensation-skipped' } },
        scenarios: ['payment-answers-lost-refunded'],
      },
      {
        name: 'recovery-worker-off',
        description: "order's saga recovery worker never starts: interrupted sagas are not resumed",
        env: { order: { HARNESS_MUTANTS: 'recovery-worker-off' } },
        scenarios: ['payment-latency-opens-breaker'],
      },
    ],
  },
  // The public API the k6 profiles, the bench and the chaos workload drive.
  load: { target: 'gateway' },
  // `harness explore`: every single fault over the links, connections and processes gateway
  // reaches, under the kit domain's explore workload (reference/chaos/kit.ts), three seconds each;
  // no public answer may take longer than the gateway's own budget for a checkout.
  // Gateway's breakers half-open sooner, so the workload's last requests close them again.
  explore: {
    faultMs: 3_000,
    requestBudgetMs: 5_000,
    // The CI stage (`harness explore --ci`, about 2.5 minutes): every class on order → payment,
    // order's own connections, order killed and paused, notification killed, then pairs of those.
    ci: { only: ['L5', 'order', 'notification killed'], pairs: true, maxRuns: 16 },
    serviceEnv: {
      gateway: {
        ORDER_BREAKER_HALF_OPEN_MS: '2000',
        INVENTORY_BREAKER_HALF_OPEN_MS: '2000',
        STOCK_BREAKER_HALF_OPEN_MS: '2000',
        NOTIFICATION_BREAKER_HALF_OPEN_MS: '1000',
      },
    },
  },
  fuzz: {
    maxExamples: 20,
    // A valid request the business refuses: an unknown payment token (402), a refund beyond
    // the charge or a reused Idempotency-Key (422).
    validRequestStatuses: [402, 422],
    operations: [
      {
        operationId: 'placeOrder',
        validRequestStatuses: [400],
        reason:
          'a product id of the right form that the catalogue does not have is answered 400 naming /items/n/productId, as the order contract says',
      },
    ],
    headers: {
      gateway: { Authorization: 'Bearer {secret:demoApiKey}' },
      order: { 'X-Service-Token': '{secret:serviceToken}' },
      inventory: { 'X-Service-Token': '{secret:serviceToken}' },
      payment: { 'X-Service-Token': '{secret:serviceToken}' },
      notification: { 'X-Service-Token': '{secret:serviceToken}' },
    },
  },
});
