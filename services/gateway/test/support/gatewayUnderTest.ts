import { createLogger, createMetrics, ResilienceEventLog } from '@harness/kit';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadGatewayConfig } from '../../src/config.ts';
import { createGatewayClients } from '../../src/dependencies.ts';
import type { OrderHistory } from '../../src/history/orderHistory.ts';
import { resilienceSettings } from '../../src/resilience.ts';
import type { StockLevelsClient } from '../../src/stock/stockLevelsClient.ts';

export const fullKey = 'demo_0123456789abcdef';
export const readOnlyKey = 'ro_0123456789abcdef';
export const serviceToken = 'svc_test_token';
export const storefrontOrigin = 'http://127.0.0.1:5173';

export const fullAuth = { authorization: `Bearer ${fullKey}` };
export const readOnlyAuth = { authorization: `Bearer ${readOnlyKey}` };

export interface GatewayUnderTestOptions {
  orderUrl: string;
  inventoryUrl: string;
  notificationUrl: string;
  rateLimit?: { ratePerSecond: number; burst: number };
  bodyLimitBytes?: number;
  now?: () => number;
  orderTimeoutMs?: number;
  /** More gateway env (resilience knobs), validated by the gateway's config schema. */
  env?: Readonly<Record<string, string>>;
  /** The order history read model (none: GET /orders answers 503). */
  history?: OrderHistory;
  /** Inventory's stock levels over gRPC (none: the order view has no `stock`). */
  stockLevels?: StockLevelsClient;
  /** /api/graphql depth and cost limits (default: the gateway's defaults). */
  graphqlLimits?: { maxDepth: number; maxComplexity: number };
}

/** The real gateway app wired to the given dependency URLs (stubs), as main.ts wires it. */
export function gatewayUnderTest(options: GatewayUnderTestOptions): {
  app: FastifyInstance;
  events: ResilienceEventLog;
} {
  const logger = createLogger({ service: 'gateway-test', level: 'silent' });
  const metrics = createMetrics('gateway-test', { defaultMetrics: false });
  const events = new ResilienceEventLog();
  const { clients } = createGatewayClients({
    orderUrl: options.orderUrl,
    inventoryUrl: options.inventoryUrl,
    notificationUrl: options.notificationUrl,
    serviceToken,
    resilience: resilienceSettings(
      loadGatewayConfig({
        SERVICE_TOKEN: serviceToken,
        ORDER_URL: options.orderUrl,
        INVENTORY_URL: options.inventoryUrl,
        NOTIFICATION_URL: options.notificationUrl,
        API_KEYS: '[]',
        ORDER_TIMEOUT_MS: String(options.orderTimeoutMs ?? 2_000),
        INVENTORY_TIMEOUT_MS: '1000',
        ...options.env,
      }),
    ),
    metrics,
    logger,
    events,
  });
  const app = buildApp({
    clients,
    ...(options.history === undefined ? {} : { history: options.history }),
    ...(options.stockLevels === undefined ? {} : { stockLevels: options.stockLevels }),
    apiKeys: [
      { id: 'demo', key: fullKey, scopes: ['products:read', 'orders:read', 'orders:write'] },
      { id: 'read-only', key: readOnlyKey, scopes: ['products:read'] },
    ],
    rateLimit: options.rateLimit ?? { ratePerSecond: 1_000, burst: 2_000 },
    bodyLimitBytes: options.bodyLimitBytes ?? 16_384,
    corsOrigins: [storefrontOrigin],
    logger,
    metrics,
    resilienceEvents: events,
    serviceToken,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.graphqlLimits === undefined ? {} : { graphqlLimits: options.graphqlLimits }),
  });
  return { app, events };
}
