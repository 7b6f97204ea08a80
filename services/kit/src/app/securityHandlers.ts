import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { AppError, isAppError } from '../errors/AppError.ts';
import type { OperationSpec } from './openApiDocument.ts';

/** Checks one security scheme for a request; throws (an AppError, usually UNAUTHENTICATED) to refuse. */
export type SecurityHandler = (request: FastifyRequest) => void | Promise<void>;

export const SERVICE_TOKEN_HEADER = 'x-service-token';

/** Accepts a request whose X-Service-Token equals the token (compared in constant time). */
export function serviceTokenHandler(token: string): SecurityHandler {
  const expected = digest(token);
  return (request) => {
    const given = request.headers[SERVICE_TOKEN_HEADER];
    if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
      throw new AppError('UNAUTHENTICATED', { detail: 'A valid X-Service-Token header is required.' });
    }
  };
}

/**
 * The onRequest hook enforcing an operation's security requirements (OR of requirements, AND of
 * the schemes inside one; an empty requirement allows anonymous access). Undefined when the
 * operation needs none.
 */
export function securityHook(
  operation: OperationSpec,
  handlers: Readonly<Record<string, SecurityHandler>>,
): onRequestAsyncHookHandler | undefined {
  const requirements = operation.security;
  if (requirements.length === 0 || requirements.some((r) => Object.keys(r).length === 0)) return undefined;
  const missing = requirements.flatMap((r) => Object.keys(r)).filter((scheme) => !handlers[scheme]);
  if (missing.length > 0) {
    throw new Error(`${operation.operationId}: no security handler for scheme(s) ${[...new Set(missing)].join(', ')}`);
  }
  return async (request) => {
    let firstRefusal: unknown;
    for (const requirement of requirements) {
      try {
        for (const scheme of Object.keys(requirement)) await handlers[scheme]!(request);
        return;
      } catch (error) {
        firstRefusal ??= error;
      }
    }
    throw isAppError(firstRefusal) ? firstRefusal : new AppError('UNAUTHENTICATED', { cause: firstRefusal });
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
