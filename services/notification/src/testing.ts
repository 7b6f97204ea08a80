// What the reference system's contract tests (pact/) use of notification: its public surface for
// running it under Pact. Nothing outside services/ reaches into src/ otherwise (a lint rule).
export { buildApp } from './app.ts';
export { loadNotificationConfig } from './config.ts';
export { loadMigrations, notificationMigrations } from './migrations.ts';
export { listNotificationsOfOrder } from './notificationStore.ts';
export { orderEventsQueue, startOrderEventsConsumer } from './orderEventsConsumer.ts';
export { createService, type NotificationService, type NotificationServiceOverrides } from './service.ts';
