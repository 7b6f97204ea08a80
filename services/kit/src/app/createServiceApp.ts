import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { HealthCheck } from '../health/healthChecks.ts';
import type { Logger } from '../observability/logger.ts';
import type { KitMetrics } from '../observability/metrics.ts';
import { ResilienceEventLog } from '../resilience/ResilienceEventLog.ts';
import { isBuiltinRoute, registerBuiltinRoutes } from './builtinRoutes.ts';
import type { AnyHandler } from './handlerTypes.ts';
import { asOpenApiDocument, listOperations } from './openApiDocument.ts';
import { trackRoutes } from './allowedMethods.ts';
import { responseValidationMode, type ResponseValidationMode } from './responseValidator.ts';
import { sendProblem } from './problemReply.ts';
import { requestErrorHandler } from './requestErrors.ts';
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
   * Prefix of the spec's routes when its server URL has a path (the gateway's `/api/v1`; see
   * `serverBasePath(spec)`). The built-in health, metrics and admin routes stay at the root.
   */
  routePrefix?: string;
  /** Maximum request body in bytes (413 beyond). Default 65536. */
  bodyLimit?: number;
  /** Readiness checks run by GET /health/ready. */
  healthChecks?: Readonly<Record<string, HealthCheck>>;
  healthCheckTimeoutMs?: number;
  /**
   * Retry-After (seconds) of the 503 DEPENDENCY_UNAVAILABLE answered when a handler fails because
   * the database or the broker is unreachable (refused, reset, terminated, query or pool timeout).
   * Default 1.
   */
  unavailableRetryAfterSeconds?: number;
  /**
   * Fastify's two request log lines ("incoming request", "request completed", at info). Default
   * true; at a level above info they are not written anyway, but turning them off also saves
   * building them.
   */
  logRequests?: boolean;
  /**
   * Check every handler's response against its operation in the spec: `enforce` answers 500 for
   * a mismatch (tests and the systems the harness runs), `log` only logs it, `off` skips it.
   * Default: HARNESS_VALIDATE_RESPONSES, else off.
   */
  validateResponses?: ResponseValidationMode;
}

/**
 * Builds (never starts) a service's Fastify app: routes from the OpenAPI spec mapped to handlers,
 * request validation from the same spec, problem+json errors (database and broker outages as 503
 * DEPENDENCY_UNAVAILABLE + Retry-After), optional service-token auth (also guarding
 * /admin/resilience), a server span per request, request logs and metrics, and the built-in
 * health, metrics and resilience routes. The caller listens (main.ts) or injects (tests).
 */
export function createServiceApp(options: ServiceAppOptions): FastifyInstance {
  const bodyLimit = options.bodyLimit ?? 65_536;
  const doc = asOpenApiDocument(options.spec);
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    childLoggerFactory: tracingChildLoggerFactory,
    bodyLimit,
    return503OnClosing: true,
    ...(options.logRequests === false ? { logController: new LogController({ disableRequestLogging: true }) } : {}),
  });

  app.addContentTypeParser(
    /^application\/[\w.-]+\+json$/,
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'ignore'),
  );
  const allowedMethods = trackRoutes(app);
  installRequestTracing(app);
  app.addHook('onResponse', async (request, reply) => {
    options.metrics.httpServerDuration.observe(
      { route: request.routeOptions.url ?? 'unmatched', method: request.method, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  const unrouted = (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = allowedMethods(path);
    if (allowed.length === 0)
      return sendProblem(
        request,
        reply,
        new AppError('NOT_FOUND', { detail: `No route for ${request.method} ${path}.` }),
      );
    reply.header('allow', allowed.join(', '));
    return sendProblem(
      request,
      reply,
      new AppError('METHOD_NOT_ALLOWED', { detail: `${path} answers ${allowed.join(', ')}, not ${request.method}.` }),
    );
  };
  app.setErrorHandler(
    requestErrorHandler(
      { bodyLimit, unavailableRetryAfterSeconds: options.unavailableRetryAfterSeconds ?? 1 },
      unrouted,
    ),
  );
  app.setNotFoundHandler(unrouted);

  registerBuiltinRoutes(app, {
    metrics: options.metrics,
    resilienceEvents: options.resilienceEvents ?? new ResilienceEventLog(),
    healthChecks: options.healthChecks ?? {},
    healthCheckTimeoutMs: options.healthCheckTimeoutMs ?? 2_000,
    ...(options.serviceToken === undefined ? {} : { serviceToken: options.serviceToken }),
  });
  const serviceTokenScheme = options.serviceTokenScheme ?? 'serviceToken';
  registerOperationRoutes(app, {
    doc,
    operations: listOperations(doc).filter((operation) => !isBuiltinRoute(operation.method, operation.routeUrl)),
    handlers: options.handlers,
    validateResponses: options.validateResponses ?? responseValidationMode(process.env.HARNESS_VALIDATE_RESPONSES),
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
