// What the reference system's contract tests (pact/) use of the gateway: its public surface for
// running it under Pact. Nothing outside services/ reaches into src/ otherwise (a lint rule).
export { loadGatewayConfig, type GatewayConfig } from './config.ts';
export { createService, type GatewayService, type GatewayServiceOverrides } from './service.ts';
export { loadHistoryMigrations } from './history/historyMigrations.ts';
export { orderHistoryQueue, startOrderHistoryConsumer } from './history/orderHistoryProjection.ts';
export { orderHistoryStore } from './history/orderHistoryStore.ts';
export { orderNotificationsQueue, startOrderNotificationsConsumer } from './history/orderNotificationsProjection.ts';
