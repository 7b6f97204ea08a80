// What the reference system's contract tests (pact/) use of the gateway: its public surface for
// running it under Pact. Nothing outside services/ reaches into src/ otherwise (a lint rule).
export { buildApp } from './app.ts';
export { loadGatewayConfig } from './config.ts';
export { createGatewayClients } from './dependencies.ts';
export { resilienceSettings } from './resilience.ts';
