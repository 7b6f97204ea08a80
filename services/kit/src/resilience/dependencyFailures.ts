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

  constructor(dependency: string, response: Response, retryAfterMs: number | undefined) {
    super(`${dependency} answered ${response.status}`);
    this.status = response.status;
    this.response = response;
    this.retryAfterMs = retryAfterMs;
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

/** Default breaker filter: everything but answers that blame the caller (4xx, including 429). */
export function isBreakerFailure(error: unknown): boolean {
  if (error instanceof DependencyStatusError) return error.status >= 500;
  return true;
}

/** A short reason for logs and retry events: `timeout`, `network`, `status 503`, or the message. */
export function describeFailure(error: unknown): string {
  if (isTaskCancelledError(error)) return 'timeout';
  if (error instanceof DependencyStatusError) return `status ${error.status}`;
  if (error instanceof DependencyNetworkError) return 'network';
  return error instanceof Error ? error.message : String(error);
}
