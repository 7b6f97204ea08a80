import { AppError } from '@harness/kit';
import type { FastifyRequest } from 'fastify';
import type { RateLimiter } from '../rateLimit/tokenBucket.ts';
import { bearerToken, type ApiKeyRegistry, type ApiPrincipal, type ApiScope } from './apiKeys.ts';
import { routeKey } from './operationScopes.ts';

export interface ApiKeyGuardOptions {
  keys: ApiKeyRegistry;
  limiter: RateLimiter;
  /** Required scope per route key (`POST /api/v1/orders`); a route missing here is refused. */
  scopes: ReadonlyMap<string, ApiScope>;
}

const principals = new WeakMap<FastifyRequest, ApiPrincipal>();

/** Who the guard let through for this request (undefined on routes it does not guard). */
export function principalOf(request: FastifyRequest): ApiPrincipal | undefined {
  return principals.get(request);
}

/**
 * Who presents this request's bearer key, within its rate limit: 401 UNAUTHENTICATED without a
 * valid key, 429 RATE_LIMITED (with Retry-After) beyond its limit. REST and GraphQL share it, so
 * one key has one bucket whatever protocol it calls. Errors name the problem, never the key.
 */
export function createApiKeyAuthenticator(
  options: Pick<ApiKeyGuardOptions, 'keys' | 'limiter'>,
): (request: FastifyRequest) => ApiPrincipal {
  return (request) => {
    const presented = bearerToken(request.headers.authorization);
    if (presented === undefined) {
      throw new AppError('UNAUTHENTICATED', { detail: 'Send an API key as "Authorization: Bearer <key>".' });
    }
    const principal = options.keys.authenticate(presented);
    if (principal === undefined) throw new AppError('UNAUTHENTICATED', { detail: 'The API key is not valid.' });

    const decision = options.limiter.take(principal.keyId);
    if (!decision.allowed) {
      throw new AppError('RATE_LIMITED', {
        detail: 'The rate limit of this API key is exceeded.',
        retryAfterSeconds: decision.retryAfterSeconds,
      });
    }
    principals.set(request, principal);
    return principal;
  };
}

/**
 * The security handler of the `apiKey` scheme, run before the body is read: a valid bearer key
 * (401 otherwise), within its rate limit (429 + Retry-After), holding the route's scope (403).
 */
export function createApiKeyGuard(options: ApiKeyGuardOptions): (request: FastifyRequest) => void {
  const authenticate = createApiKeyAuthenticator(options);
  return (request) => {
    const principal = authenticate(request);
    const required = options.scopes.get(routeKey(request.method, request.routeOptions.url ?? ''));
    if (required === undefined || !principal.scopes.has(required)) {
      principals.delete(request);
      throw new AppError('FORBIDDEN', {
        detail:
          required === undefined
            ? 'This API key may not call this route.'
            : `This API key lacks the ${required} scope.`,
      });
    }
  };
}
