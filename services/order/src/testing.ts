// What the reference system's contract tests (pact/) use of order: its public surface for running
// it under Pact. Nothing outside services/ reaches into src/ otherwise (a lint rule).
export { buildApp } from './app.ts';
export type { InventoryGateway } from './clients/inventoryGateway.ts';
export type { PaymentGateway } from './clients/paymentGateway.ts';
export { orderConfigSchema, type OrderConfig } from './config.ts';
export { loadMigrations } from './migrations.ts';
export { createService, dependencyGatewaysOf, type OrderService, type OrderServiceOverrides } from './service.ts';
