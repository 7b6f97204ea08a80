import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { HealthCheck } from '../health/healthChecks.ts';
import type { Logger } from '../observability/logger.ts';
import type { KitMetrics } from '../observability/metrics.ts';
import { ResilienceEventLog } from '../resilience/ResilienceEventLog.ts';
import { isBuiltinRoute, registerBuiltinRoutes } from './builtinRoutes.ts';
import type { AnyHandler } from './handlerTypes.ts';
import { asOpenApiDocument, listOperations } from './openApiDocument.ts';
import { appErrorOf, sendProblem } from './problemReply.ts';
import { installRequestTracing, tracingChildLoggerFactory } from './requestTracing.ts';
import { registerOperationRoutes } from './operationRoutes.ts';
import { serviceTokenHandler, type SecurityHandler } from './securityHandlers.ts';
import { AppError } from '../errors/AppError.ts';

export interface ServiceAppOptions {
  name: string;
  /** The service's OpenAPI 3.x document (bundled JSON; local `$ref`s are fine). */
  spec: object;
  /** One handler per operationId of the spec (health, metrics and admin routes excepted). */
  handlers: Readonly<Record<string, AnyHandler>>;
  logger: Logger;
  metrics: KitMetrics;
  /** The log the service's resilience policies write to; served at /admin/resilience. */
  resilienceEvents?: ResilienceEventLog;
  /** When set, operations secured by the `serviceToken` scheme require this X-Service-Token. */
  serviceToken?: string;
  /** Name of the service-token security scheme in the spec. Default `serviceToken`. */
  serviceTokenScheme?: string;
  /** Handlers for the spec's other security schemes (e.g. the gateway's API keys). */
  securityHandlers?: Readonly<Record<string, SecurityHandler>>;
  /**
   * Prefix of the spec's routes when its server URL has a path (the gateway's `/api/v1`). The
   * built-in health, metrics and admin routes stay at the root.
   */
  routePrefix?: string;
  /** Maximum request body in bytes (413 beyond). Default 65536. */
  bodyLimit?: number;
  /** Readiness checks run by GET /health/ready. */
  healthChecks?: Readonly<Record<string, HealthCheck>>;
  healthCheckTimeoutMs?: number;
}

/**
 * Builds (never starts) a service's Fastify app: routes from the OpenAPI spec mapped to handlers,
 * request validation from the same spec, problem+json errors, optional service-token auth, a
 * server span per request, request logs and metrics, and the built-in health, metrics and
 * resilience routes. The caller listens (main.ts) or injects (tests).
 */
export function createServiceApp(options: ServiceAppOptions): FastifyInstance {
  const bodyLimit = options.bodyLimit ?? 65_536;
  const doc = asOpenApiDocument(options.spec);
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    childLoggerFactory: tracingChildLoggerFactory,
    bodyLimit,
    return503OnClosing: true,
  });

  app.addContentTypeParser(
    /^application\/[\w.-]+\+json$/,
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'ignore'),
  );
  installRequestTracing(app);
  app.addHook('onResponse', async (request, reply) => {
    options.metrics.httpServerDuration.observe(
      { route: request.routeOptions.url ?? 'unmatched', method: request.method, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.setErrorHandler((error, request, reply) => {
    const appError = appErrorOf(error, bodyLimit);
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: appError.code, detail: appError.detail }, 'request refused');
    return sendProblem(request, reply, appError);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      request,
      reply,
      new AppError('NOT_FOUND', { detail: `No route for ${request.method} ${request.url.split('?')[0]}.` }),
    ),
  );

  registerBuiltinRoutes(app, {
    metrics: options.metrics,
    resilienceEvents: options.resilienceEvents ?? new ResilienceEventLog(),
    healthChecks: options.healthChecks ?? {},
    healthCheckTimeoutMs: options.healthCheckTimeoutMs ?? 2_000,
  });
  const serviceTokenScheme = options.serviceTokenScheme ?? 'serviceToken';
  registerOperationRoutes(app, {
    doc,
    operations: listOperations(doc).filter((operation) => !isBuiltinRoute(operation.method, operation.routeUrl)),
    handlers: options.handlers,
    routePrefix: options.routePrefix ?? '',
    securityHandlers: {
      ...options.securityHandlers,
      // Without a configured token the scheme is not enforced (local runs and tests).
      [serviceTokenScheme]:
        options.serviceToken === undefined ? () => undefined : serviceTokenHandler(options.serviceToken),
    },
  });
  return app;
}
