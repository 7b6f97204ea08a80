// What the reference system's contract tests (pact/) use of inventory: its public surface for
// running it under Pact. Nothing outside services/ reaches into src/ otherwise (a lint rule).
export { buildApp } from './app.ts';
export { defaultCatalog } from './catalog/defaultCatalog.ts';
export { findProduct, seedCatalog } from './catalog/productStore.ts';
export { loadInventoryConfig } from './config.ts';
export { orderCancelledTopology, startOrderCancelledConsumer } from './events/orderCancelledConsumer.ts';
export { loadMigrations } from './migrations.ts';
export { findReservation, reserveStock } from './reservations/reservationStore.ts';
export { createService, type InventoryService, type InventoryServiceOverrides } from './service.ts';
