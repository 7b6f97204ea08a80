import { loadConfig } from '@harness/kit';
import { createService as createGateway, loadGatewayConfig } from '@harness/gateway/testing';
import { createService as createInventory, loadInventoryConfig } from '@harness/inventory/testing';
import { createService as createNotification, loadNotificationConfig } from '@harness/notification/testing';
import { createService as createOrder, orderConfigSchema } from '@harness/order/testing';
import { createService as createPayment, loadPaymentConfig } from '@harness/payment/testing';
import { providerServiceToken, quietObservers, serviceDatabase, started, type RunningApp } from './runningApp.ts';

// Each provider runs in-process from its own createService, the function its main.ts runs (same
// config schema and defaults, migrations, seed), on a fresh PostgreSQL database and a free port.
// The broker connection, outbox relay and consumers are not part of any HTTP contract and are
// left out (`messaging: false`), so the stage needs no RabbitMQ.

const common = {
  HOST: '127.0.0.1',
  PORT: '0',
  SERVICE_TOKEN: providerServiceToken,
  DATABASE_URL: 'postgres://set-below',
  AMQP_URL: 'amqp://unused',
};

export async function startInventory(): Promise<RunningApp> {
  const db = await serviceDatabase('inventory');
  const service = createInventory(loadInventoryConfig(common), {
    pool: db.pool,
    messaging: false,
    ...quietObservers('inventory'),
  });
  return started(service, db);
}

export async function startPayment(): Promise<RunningApp> {
  const db = await serviceDatabase('payment');
  const service = createPayment(loadPaymentConfig(common), { pool: db.pool, ...quietObservers('payment') });
  return started(service, db);
}

export async function startNotification(): Promise<RunningApp> {
  const db = await serviceDatabase('notification');
  const service = createNotification(loadNotificationConfig(common), {
    pool: db.pool,
    messaging: false,
    ...quietObservers('notification'),
  });
  return started(service, db);
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
  const service = createOrder(config, {
    pool: db.pool,
    messaging: false,
    // The recovery worker settles interrupted sagas in the background; no pact is about it.
    recoveryWorker: false,
    ...quietObservers('order'),
  });
  return started(service, db);
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
    HOST: '127.0.0.1',
    PORT: '0',
    SERVICE_TOKEN: providerServiceToken,
    ORDER_URL: dependencies.orderUrl,
    INVENTORY_URL: dependencies.inventoryUrl,
    NOTIFICATION_URL: dependencies.notificationUrl,
    API_KEYS: JSON.stringify(apiKeys),
  });
  return started(createGateway(config, quietObservers('gateway')));
}
