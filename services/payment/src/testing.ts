// What the reference system's contract tests (pact/) use of payment: its public surface for
// running it under Pact. Nothing outside services/ reaches into src/ otherwise (a lint rule).
export { buildApp } from './app.ts';
export { loadPaymentConfig } from './config.ts';
export { loadMigrations } from './migrations.ts';
export { createSimulatedPsp } from './psp/simulatedPsp.ts';
export { createService, type PaymentService, type PaymentServiceOverrides } from './service.ts';
