import { AppError, isAppError, type AnyHandler } from '@harness/kit';

/** SQLSTATEs that mean "the database cannot serve now": connection exceptions, shutdown, overload. */
const unavailableCodes = /^(08...|57P0[1-3]|53300|53400)$/;
/** pg and Node errors of a lost, refused, hung or timed-out connection. */
const unavailableMessages =
  /Connection terminated|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EHOSTUNREACH|timeout exceeded when trying to connect|Query read timeout|connection error|not queryable|Client was closed/i;

/** True when an error says the database is unreachable or unavailable (not that a query is wrong). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (unavailableCodes.test(code) || unavailableMessages.test(code))) return true;
  return typeof message === 'string' && unavailableMessages.test(message);
}

/**
 * Wraps handlers so that a database outage answers 503 DEPENDENCY_UNAVAILABLE with Retry-After
 * (as the contract documents) instead of a 500: callers then know to retry later.
 */
export function answerDatabaseOutagesWith503<Handlers extends Record<string, AnyHandler>>(
  handlers: Handlers,
  retryAfterSeconds: number,
): Handlers {
  const wrapped: Record<string, AnyHandler> = {};
  for (const [operationId, handler] of Object.entries(handlers)) {
    wrapped[operationId] = async (request: never) => {
      try {
        return await handler(request);
      } catch (error) {
        if (isAppError(error) || !isDatabaseUnavailable(error)) throw error;
        throw new AppError('DEPENDENCY_UNAVAILABLE', {
          detail: 'The database is unavailable; retry later.',
          retryAfterSeconds,
          cause: error,
        });
      }
    };
  }
  return wrapped as Handlers;
}
