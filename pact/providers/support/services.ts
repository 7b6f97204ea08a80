import { loadConfig, migrate } from '@harness/kit';
import {
  buildApp as buildGateway,
  loadGatewayConfig,
  createGatewayClients,
  resilienceSettings as gatewayResilienceSettings,
} from '@harness/gateway/testing';
import {
  buildApp as buildInventory,
  defaultCatalog,
  seedCatalog,
  loadInventoryConfig,
  loadMigrations as inventoryMigrations,
} from '@harness/inventory/testing';
import { buildApp as buildNotification, notificationMigrations } from '@harness/notification/testing';
import {
  buildApp as buildOrder,
  createDependencyGateways,
  orderConfigSchema,
  sagaSettingsOf,
  orderMigrations,
  resilienceSettings,
} from '@harness/order/testing';
import {
  buildApp as buildPayment,
  loadPaymentConfig,
  loadMigrations as paymentMigrations,
  createSimulatedPsp,
} from '@harness/payment/testing';
import { ResilienceEventLog } from '@harness/kit';
import { listen, providerServiceToken, quietObservers, serviceDatabase, type RunningApp } from './runningApp.ts';

// Each provider runs in-process from its own buildApp, wired as its main.ts wires it (same
// config schema and defaults, migrations, seed), on a fresh PostgreSQL database. What main.ts adds
// around the app — the broker connection, outbox relay and consumers — is not part of any HTTP
// contract and is left out, so the stage needs no RabbitMQ.

const common = {
  PORT: '0',
  SERVICE_TOKEN: providerServiceToken,
  DATABASE_URL: 'postgres://set-below',
  AMQP_URL: 'amqp://unused',
};

export async function startInventory(): Promise<RunningApp> {
  const config = loadInventoryConfig(common);
  const db = await serviceDatabase('inventory');
  await migrate(db.pool, inventoryMigrations());
  await seedCatalog(
    db.pool,
    defaultCatalog({
      regular: config.CATALOG_STOCK,
      bulk: config.CATALOG_BULK_STOCK,
      scarce: config.CATALOG_SCARCE_STOCK,
    }),
  );
  return listen(
    buildInventory({ pool: db.pool, serviceToken: config.SERVICE_TOKEN, ...quietObservers('inventory') }),
    db,
  );
}

export async function startPayment(): Promise<RunningApp> {
  const config = loadPaymentConfig(common);
  const db = await serviceDatabase('payment');
  await migrate(db.pool, paymentMigrations());
  const app = buildPayment({
    pool: db.pool,
    psp: createSimulatedPsp({ slowDelayMs: config.SLOW_TOKEN_DELAY_MS }),
    idempotency: {
      claimTtlMs: config.IDEMPOTENCY_CLAIM_TTL_MS,
      conflictRetryAfterSeconds: config.IDEMPOTENCY_CONFLICT_RETRY_AFTER_S,
    },
    serviceToken: config.SERVICE_TOKEN,
    ...quietObservers('payment'),
  });
  return listen(app, db);
}

export async function startNotification(): Promise<RunningApp> {
  const db = await serviceDatabase('notification');
  await migrate(db.pool, notificationMigrations);
  return listen(
    buildNotification({ db: db.pool, serviceToken: providerServiceToken, ...quietObservers('notification') }),
    db,
  );
}

/** Order with its real dependencies (inventory and payment apps of the same run). */
export async function startOrder(dependencies: { inventoryUrl: string; paymentUrl: string }): Promise<RunningApp> {
  const config = loadConfig(orderConfigSchema, {
    ...common,
    INVENTORY_URL: dependencies.inventoryUrl,
    PAYMENT_URL: dependencies.paymentUrl,
    // How long POST /orders waits for the saga before answering 202: generous, so that a loaded
    // CI machine does not turn "confirmed" (201) into "still settling" (202). Not a contract value.
    ORDER_REQUEST_BUDGET_MS: '15000',
  });
  const db = await serviceDatabase('order');
  await migrate(db.pool, orderMigrations());
  const observers = quietObservers('order');
  const events = new ResilienceEventLog();
  const { inventory, payment } = createDependencyGateways({
    inventoryUrl: config.INVENTORY_URL,
    paymentUrl: config.PAYMENT_URL,
    serviceToken: config.SERVICE_TOKEN,
    resilience: resilienceSettings(config),
    events,
    ...observers,
  });
  const app = buildOrder({
    pool: db.pool,
    inventory,
    payment,
    settings: sagaSettingsOf(config),
    productCacheTtlMs: config.PRODUCT_CACHE_TTL_MS,
    serviceToken: config.SERVICE_TOKEN,
    resilienceEvents: events,
    // The recovery worker settles interrupted sagas in the background; no pact is about it.
    recoveryWorker: false,
    ...observers,
  });
  return listen(app, db);
}

export const gatewayApiKey = `pact-gateway-${providerServiceToken.slice(-12)}`;

/** The gateway with its real dependencies. */
export async function startGateway(dependencies: {
  orderUrl: string;
  inventoryUrl: string;
  notificationUrl: string;
}): Promise<RunningApp> {
  const apiKeys = [{ id: 'pact', key: gatewayApiKey, scopes: ['products:read', 'orders:read', 'orders:write'] }];
  const config = loadGatewayConfig({
    SERVICE_TOKEN: providerServiceToken,
    ORDER_URL: dependencies.orderUrl,
    INVENTORY_URL: dependencies.inventoryUrl,
    NOTIFICATION_URL: dependencies.notificationUrl,
    API_KEYS: JSON.stringify(apiKeys),
  });
  const observers = quietObservers('gateway');
  const { clients } = createGatewayClients({
    orderUrl: config.ORDER_URL,
    inventoryUrl: config.INVENTORY_URL,
    notificationUrl: config.NOTIFICATION_URL,
    serviceToken: config.SERVICE_TOKEN,
    resilience: gatewayResilienceSettings(config),
    ...observers,
  });
  const app = buildGateway({
    clients,
    apiKeys,
    rateLimit: { ratePerSecond: config.RATE_LIMIT_RPS, burst: config.RATE_LIMIT_BURST },
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    corsOrigins: [],
    ...observers,
  });
  return listen(app);
}
