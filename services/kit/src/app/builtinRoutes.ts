import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors/AppError.ts';
import { runHealthChecks, type HealthCheck } from '../health/healthChecks.ts';
import type { KitMetrics } from '../observability/metrics.ts';
import type { ResilienceEventLog } from '../resilience/ResilienceEventLog.ts';
import { captureCpuProfile, CPU_PROFILE_LIMITS, CpuProfileBusyError } from '../observability/cpuProfile.ts';
import { serviceTokenHandler } from './securityHandlers.ts';

export interface BuiltinRoutesOptions {
  metrics: KitMetrics;
  resilienceEvents: ResilienceEventLog;
  healthChecks: Readonly<Record<string, HealthCheck>>;
  healthCheckTimeoutMs: number;
  /** When set, GET|DELETE /admin/resilience require it as X-Service-Token. */
  serviceToken?: string;
}

/** Routes every service has; operations of the spec at these paths are served by them. */
const builtinRoutes = [
  { method: 'GET', url: '/health/live' },
  { method: 'GET', url: '/health/ready' },
  { method: 'GET', url: '/metrics' },
  { method: 'GET', url: '/admin/resilience' },
  { method: 'DELETE', url: '/admin/resilience' },
  { method: 'POST', url: '/admin/cpu-profile' },
] as const;

export function isBuiltinRoute(method: string, url: string): boolean {
  return builtinRoutes.some((route) => route.method === method && route.url === url);
}

/**
 * `GET /health/live`, `GET /health/ready` (200 or 503 `{ status, checks }`), `GET /metrics`
 * (Prometheus text) and `GET|DELETE /admin/resilience` (the resilience event log, `?since=<ms>`,
 * with the effective settings of each policy under `policies`;
 * behind X-Service-Token when the app has a service token: it is internal, even on the gateway),
 * and `POST /admin/cpu-profile?ms=<n>` (a V8 CPU profile of the next n ms, behind the same token,
 * for `harness bench --profile`).
 */
export function registerBuiltinRoutes(app: FastifyInstance, options: BuiltinRoutesOptions): void {
  const quiet = { logLevel: 'warn' as const };
  app.get('/health/live', quiet, async () => ({ status: 'ok', checks: {} }));
  app.get('/health/ready', quiet, async (request, reply) => {
    const report = await runHealthChecks(options.healthChecks, options.healthCheckTimeoutMs);
    if (report.status !== 'ok') request.log.warn({ failures: report.failures }, 'not ready');
    return reply.code(report.status === 'ok' ? 200 : 503).send(report);
  });
  app.get('/metrics', quiet, async (_request, reply) =>
    reply.header('content-type', options.metrics.registry.contentType).send(await options.metrics.registry.metrics()),
  );
  const checkToken = options.serviceToken === undefined ? undefined : serviceTokenHandler(options.serviceToken);
  const admin = checkToken === undefined ? {} : { onRequest: async (request: FastifyRequest) => checkToken(request) };
  app.get('/admin/resilience', admin, async (request) => {
    const { since } = request.query as { since?: string };
    if (since !== undefined && !/^\d+$/.test(since)) {
      throw new AppError('VALIDATION_FAILED', {
        errors: [{ in: 'query', path: '/since', message: 'must be epoch milliseconds' }],
      });
    }
    return {
      events: options.resilienceEvents.list(since === undefined ? undefined : Number(since)),
      policies: options.resilienceEvents.policies(),
    };
  });
  app.delete('/admin/resilience', admin, async (_request, reply) => {
    options.resilienceEvents.clear();
    return reply.code(204).send();
  });
  app.post('/admin/cpu-profile', admin, async (request) => {
    const { ms } = request.query as { ms?: string };
    const { minMs, maxMs } = CPU_PROFILE_LIMITS;
    const duration = ms === undefined ? 1_000 : Number(ms);
    if (!Number.isInteger(duration) || duration < minMs || duration > maxMs) {
      throw new AppError('VALIDATION_FAILED', {
        errors: [{ in: 'query', path: '/ms', message: `must be an integer from ${minMs} to ${maxMs}` }],
      });
    }
    try {
      return await captureCpuProfile(duration);
    } catch (error) {
      // One profile at a time: a second caller waits for the first one's remaining time.
      if (error instanceof CpuProfileBusyError) {
        throw new AppError('RATE_LIMITED', { detail: error.message, retryAfterSeconds: error.retryAfterSeconds });
      }
      throw error;
    }
  });
}
