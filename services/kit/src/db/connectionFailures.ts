/**
 * What a PostgreSQL error says about the connection and the database. Two questions:
 * - is the connection it happened on still usable? (`isConnectionFailure`: no → discard it)
 * - is the database unavailable rather than the query wrong? (`isDatabaseUnavailable`: 503)
 */

/** Message of pg's client-side query timeout (`query_timeout`). */
export const QUERY_TIMEOUT_MESSAGE = 'Query read timeout';
/** Message of pg-pool when no connection could be had within `connectionTimeoutMillis`. */
export const POOL_ACQUIRE_TIMEOUT_MESSAGE = 'timeout exceeded when trying to connect';

/**
 * A connection in an unknown protocol state or gone: lost, refused, reset, terminated by the
 * server (57P01-57P03), or a query that timed out on the client (its answer may still arrive and
 * would be read as the answer to the next query).
 */
const brokenConnectionCodes = /^(08...|57P0[1-3])$/;
const brokenConnectionMessages =
  /Connection terminated|Query read timeout|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|connection error|not queryable|Client was closed|read ECONNRESET|socket hang up/i;

/** The database cannot serve now: everything above, plus no connection within the pool's timeout and overload. */
const unavailableCodes = /^(08...|57P0[1-3]|53300|53400)$/;
const unavailableMessages = new RegExp(
  `${brokenConnectionMessages.source}|${POOL_ACQUIRE_TIMEOUT_MESSAGE}|Connection timeout|the database system is (starting up|shutting down)`,
  'i',
);

function codeAndMessage(error: unknown): { code: string | undefined; message: string | undefined } {
  if (typeof error !== 'object' || error === null) return { code: undefined, message: undefined };
  const { code, message } = error as { code?: unknown; message?: unknown };
  return {
    code: typeof code === 'string' ? code : undefined,
    message: typeof message === 'string' ? message : undefined,
  };
}

/** True when the connection the error happened on must not be reused (release it with the error). */
export function isConnectionFailure(error: unknown): boolean {
  const { code, message } = codeAndMessage(error);
  if (code !== undefined && (brokenConnectionCodes.test(code) || brokenConnectionMessages.test(code))) return true;
  return message !== undefined && brokenConnectionMessages.test(message);
}

/**
 * True when an error says the database is unreachable or unavailable (connection refused, reset
 * or terminated, query timeout, no pool connection in time, server shutting down or overloaded),
 * not that the query is wrong. The app builder answers these with 503 DEPENDENCY_UNAVAILABLE.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const { code, message } = codeAndMessage(error);
  if (code !== undefined && (unavailableCodes.test(code) || unavailableMessages.test(code))) return true;
  return message !== undefined && unavailableMessages.test(message);
}
