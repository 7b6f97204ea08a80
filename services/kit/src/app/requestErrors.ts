import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { outageError, outageOf } from './dependencyOutages.ts';
import { appErrorOf, sendProblem } from './problemReply.ts';

export interface RequestErrorOptions {
  bodyLimit: number;
  /** Retry-After (seconds) of the 503 answered for a database or broker outage. */
  unavailableRetryAfterSeconds: number;
}

/**
 * The app's error handler: every error becomes a problem+json answer.
 * - An AppError answers as it says; refusals (4xx) are logged at info, deliberate 5xx (e.g. 503
 *   DEPENDENCY_UNAVAILABLE) at warn, both without a stack: they are outcomes, not bugs.
 * - A database or broker connectivity failure (refused, reset, terminated, query timeout, pool
 *   acquire timeout, broker down) answers 503 DEPENDENCY_UNAVAILABLE + Retry-After, logged at
 *   warn with the cause's message only.
 * - Anything else (and INTERNAL itself) is a bug: 500 INTERNAL leaking nothing, logged at error
 *   with its stack.
 */
export function requestErrorHandler(
  options: RequestErrorOptions,
  unrouted: (request: FastifyRequest, reply: FastifyReply) => FastifyReply,
) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    // No route matched, and Fastify refused the request before the not-found handler ran (a
    // QUERY without a Content-Type): it is still a 404, or a 405 on a known path.
    if (request.is404) return unrouted(request, reply);
    const outage = outageOf(error);
    if (outage !== undefined) {
      const answer = outageError(outage, error, options.unavailableRetryAfterSeconds);
      request.log.warn({ code: answer.code, dependency: outage, reason: error.message }, `${outage} unavailable`);
      return sendProblem(request, reply, answer);
    }
    const answer = appErrorOf(error, options.bodyLimit);
    const log = { code: answer.code, detail: answer.detail };
    if (answer.code === 'INTERNAL') request.log.error({ err: error }, 'request failed');
    else if (answer.status >= 500) request.log.warn({ ...log, reason: causeOf(answer.cause) }, 'request refused');
    else request.log.info(log, 'request refused');
    return sendProblem(request, reply, answer);
  };
}

function causeOf(cause: unknown): string | undefined {
  if (cause === undefined) return undefined;
  return cause instanceof Error ? cause.message : String(cause);
}
