// What the reference system's contract tests (pact/) use of order: its public surface for running
// it under Pact. Nothing outside services/ reaches into src/ otherwise (a lint rule).
export { buildApp } from './app.ts';
export { createDependencyGateways } from './clients/dependencyClients.ts';
export type { InventoryGateway } from './clients/inventoryGateway.ts';
export type { PaymentGateway } from './clients/paymentGateway.ts';
export { orderConfigSchema, sagaSettingsOf } from './config.ts';
export { orderMigrations } from './migrations.ts';
export { resilienceSettings } from './resilience.ts';
