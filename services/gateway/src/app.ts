import cors from '@fastify/cors';
import { createServiceApp, serverBasePath, type KitMetrics, type Logger, type ResilienceEventLog } from '@harness/kit';
import type { FastifyInstance } from 'fastify';
import { gatewaySpec } from './gatewaySpec.ts';
import { createApiKeyAuthenticator, createApiKeyGuard } from './auth/apiKeyGuard.ts';
import { createApiKeyRegistry, type ApiKeyDefinition } from './auth/apiKeys.ts';
import { routeScopes } from './auth/operationScopes.ts';
import { getProductHandler, listProductsHandler } from './catalog/catalogHandlers.ts';
import type { GatewayClients } from './dependencies.ts';
import { defaultGraphqlLimits, registerGraphql, type GraphqlLimits } from './graphql/registerGraphql.ts';
import { orderHistoryHandler, type OrderHistory } from './history/orderHistory.ts';
import { orderViewHandler } from './orders/orderViewHandler.ts';
import { placeOrderHandler } from './orders/placeOrderHandler.ts';
import { createTokenBucketLimiter, type RateLimitSettings } from './rateLimit/tokenBucket.ts';
import type { StockLevelsClient } from './stock/stockLevelsClient.ts';

export interface GatewayAppDeps {
  clients: GatewayClients;
  /** Inventory's stock levels over gRPC (L11); without it the order view has no `stock`. */
  stockLevels?: StockLevelsClient;
  /** The order history read model; without it GET /orders answers 503 and the view has no fallback. */
  history?: OrderHistory;
  apiKeys: readonly ApiKeyDefinition[];
  rateLimit: RateLimitSettings;
  bodyLimitBytes: number;
  /** Origins allowed by CORS (the storefront); none: no CORS headers. */
  corsOrigins: readonly string[];
  logger: Logger;
  metrics: KitMetrics;
  resilienceEvents?: ResilienceEventLog;
  /** The internal token; when set, the built-in /admin/resilience requires it as X-Service-Token. */
  serviceToken?: string;
  /** Fastify's per-request log lines (default true). */
  logRequests?: boolean;
  /** Clock of the rate limiter (tests pass a fake one). */
  now?: () => number;
  /** Depth and cost limits of /api/graphql (default: defaultGraphqlLimits). */
  graphqlLimits?: GraphqlLimits;
}

/** Headers a browser may send / read cross-origin. */
const corsAllowedHeaders = ['Authorization', 'Content-Type', 'Idempotency-Key', 'traceparent'];
const corsExposedHeaders = ['Location', 'Retry-After', 'Idempotent-Replayed'];

/** Where the spec's business paths are served: the path of its server URL (`/api/v1`). */
export const apiBasePath = serverBasePath(gatewaySpec);

/**
 * The gateway's app (never listening): `/api/v1` routes from the gateway spec, each behind the
 * API-key guard (401 / 429 / 403, before the body is read), validated by the kit against the
 * same spec (400 / 413), answering through the order, inventory and notification clients and
 * the order history read model; and /api/graphql (contracts/graphql/gateway.graphql) behind the
 * same key check and rate limiter, answering through the same handlers.
 */
export function buildApp(deps: GatewayAppDeps): FastifyInstance {
  const keys = createApiKeyRegistry(deps.apiKeys);
  // One limiter for both protocols: a key has one bucket whether it calls REST or GraphQL.
  const limiter = createTokenBucketLimiter(deps.rateLimit, deps.now);
  const guard = createApiKeyGuard({ keys, limiter, scopes: routeScopes(gatewaySpec, apiBasePath) });
  const app = createServiceApp({
    name: 'gateway',
    spec: gatewaySpec,
    routePrefix: apiBasePath,
    handlers: {
      listProducts: listProductsHandler(deps.clients),
      getProduct: getProductHandler(deps.clients),
      placeOrder: placeOrderHandler(deps.clients),
      getOrderView: orderViewHandler(deps.clients, deps.history, deps.stockLevels),
      listOrderHistory: orderHistoryHandler(deps.history),
    },
    securityHandlers: { apiKey: guard },
    bodyLimit: deps.bodyLimitBytes,
    logger: deps.logger,
    metrics: deps.metrics,
    ...(deps.resilienceEvents === undefined ? {} : { resilienceEvents: deps.resilienceEvents }),
    ...(deps.serviceToken === undefined ? {} : { serviceToken: deps.serviceToken }),
    ...(deps.logRequests === undefined ? {} : { logRequests: deps.logRequests }),
  });
  if (deps.corsOrigins.length > 0) {
    void app.register(cors, {
      origin: [...deps.corsOrigins],
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: corsAllowedHeaders,
      exposedHeaders: corsExposedHeaders,
      maxAge: 600,
    });
  }
  registerGraphql(app, {
    clients: deps.clients,
    history: deps.history,
    limits: deps.graphqlLimits ?? defaultGraphqlLimits,
    authenticate: createApiKeyAuthenticator({ keys, limiter }),
  });
  return app;
}
