import { isBrokenCircuitError, isBulkheadRejectedError, isTaskCancelledError } from 'cockatiel';

/** Statuses that say "try again later" rather than "this request is wrong". */
const transientStatuses = new Set([429, 502, 503, 504]);

export function isTransientStatus(status: number): boolean {
  return transientStatuses.has(status);
}

/**
 * Thrown inside a policy when a dependency answered with a failure status (5xx or 429), so the
 * policy can retry it and the breaker can count it. Carries the response for the caller.
 */
export class DependencyStatusError extends Error {
  override readonly name = 'DependencyStatusError';
  readonly status: number;
  readonly retryAfterMs: number | undefined;
  readonly response: Response;
  /** The `code` of a problem+json answer, when the client read it (503s). */
  readonly problemCode: string | undefined;

  constructor(dependency: string, response: Response, retryAfterMs: number | undefined, problemCode?: string) {
    super(`${dependency} answered ${response.status}`);
    this.status = response.status;
    this.response = response;
    this.retryAfterMs = retryAfterMs;
    this.problemCode = problemCode;
  }
}

/** The dependency could not be reached or the connection broke (refused, reset, DNS, ...). */
export class DependencyNetworkError extends Error {
  override readonly name = 'DependencyNetworkError';

  constructor(dependency: string, cause: unknown) {
    super(`${dependency} unreachable: ${cause instanceof Error ? (cause.cause ?? cause.message) : String(cause)}`, {
      cause,
    });
  }
}

export type UnavailableReason = 'circuit_open' | 'timeout' | 'network' | 'bulkhead_full';

/**
 * What a policy throws when it gave up on a dependency without an answer: open circuit, full
 * bulkhead, timeout, or network failure (after any retries).
 */
export class DependencyUnavailableError extends Error {
  override readonly name = 'DependencyUnavailableError';
  readonly isDependencyUnavailable = true;
  readonly dependency: string;
  readonly reason: UnavailableReason;
  readonly retryAfterSeconds: number | undefined;

  constructor(dependency: string, reason: UnavailableReason, retryAfterSeconds: number | undefined, cause: unknown) {
    super(`${dependency} unavailable (${reason.replace('_', ' ')})`, { cause });
    this.dependency = dependency;
    this.reason = reason;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function isDependencyUnavailableError(error: unknown): error is DependencyUnavailableError {
  return error instanceof DependencyUnavailableError;
}

/** Default retry filter: transient failures only, and only Retry-After waits we are willing to make. */
export function isTransientFailure(error: unknown, maxRetryAfterMs: number): boolean {
  if (isBrokenCircuitError(error) || isBulkheadRejectedError(error)) return false;
  if (error instanceof DependencyStatusError) {
    return isTransientStatus(error.status) && (error.retryAfterMs ?? 0) <= maxRetryAfterMs;
  }
  return true;
}

/**
 * Default breaker filter: everything but answers that blame the caller (4xx, including 429).
 * A 503 counts, whatever its body says (see `isBreakerFailureExceptDependencyUnavailable`).
 */
export function isBreakerFailure(error: unknown): boolean {
  if (error instanceof DependencyStatusError) return error.status >= 500;
  return true;
}

/**
 * Opt-in breaker filter: like the default, but a 503 problem with code DEPENDENCY_UNAVAILABLE
 * does not count. That answer is the dependency's considered "my own dependency is down"
 * (fast, with Retry-After), not a sign that the dependency itself is failing; other 503s
 * (a closing server, a proxy) still count.
 */
export function isBreakerFailureExceptDependencyUnavailable(error: unknown): boolean {
  if (error instanceof DependencyStatusError) {
    return error.status >= 500 && !(error.status === 503 && error.problemCode === 'DEPENDENCY_UNAVAILABLE');
  }
  return true;
}

/** Opt-in breaker filter: like the default, but no 503 counts (any 503 is taken as a considered answer). */
export function isBreakerFailureExcept503(error: unknown): boolean {
  if (error instanceof DependencyStatusError) return error.status >= 500 && error.status !== 503;
  return true;
}

/**
 * Opt-in retry filter: retry only when no answer came back at all (refused, reset, dropped),
 * never after a timeout (the request may still be running) nor after any status.
 */
export function isNetworkFailure(error: unknown): boolean {
  return error instanceof DependencyNetworkError;
}

/** A short reason for logs and retry events: `timeout`, `network`, `status 503`, or the message. */
export function describeFailure(error: unknown): string {
  if (isTaskCancelledError(error)) return 'timeout';
  if (error instanceof DependencyStatusError) return `status ${error.status}`;
  if (error instanceof DependencyNetworkError) return 'network';
  return error instanceof Error ? error.message : String(error);
}
