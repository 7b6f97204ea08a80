import { AppError } from '../errors/AppError.ts';
import { isProblem, type Problem } from '../errors/problem.ts';
import { isDependencyUnavailableError, type UnavailableReason } from '../resilience/dependencyFailures.ts';
import { parseRetryAfterMs, retryAfterSecondsOf } from './retryAfter.ts';

/** Why a cross-service call did not produce data. */
export type DependencyError =
  | {
      kind: 'http';
      status: number;
      /** The body when it is a problem of this system. */
      problem: Problem | undefined;
      body: unknown;
      retryAfterSeconds?: number;
    }
  | {
      kind: 'unavailable';
      /** `invalid_response`: a success answer whose body could not be parsed. */
      reason: UnavailableReason | 'invalid_response';
      retryAfterSeconds?: number;
    };

export type DependencyResult<T> =
  | { data: T; response: Response; error?: undefined }
  | { data?: undefined; response?: Response; error: DependencyError };

type DataOf<R> = R extends { data: infer D } ? D : never;

/**
 * Runs one openapi-fetch call and returns a union, never throwing for remote failures: an HTTP
 * error answer becomes `{ kind: 'http' }`, an open circuit / timeout / network failure / full
 * bulkhead `{ kind: 'unavailable' }`. Anything else thrown is a bug and is rethrown.
 */
export async function callDependency<R extends { data?: unknown; error?: unknown; response: Response }>(
  call: () => Promise<R>,
): Promise<DependencyResult<DataOf<R>>> {
  let result: R;
  try {
    result = await call();
  } catch (error) {
    if (isDependencyUnavailableError(error)) {
      return { error: withRetryAfter({ kind: 'unavailable', reason: error.reason }, error.retryAfterSeconds) };
    }
    if (error instanceof SyntaxError) return { error: { kind: 'unavailable', reason: 'invalid_response' } };
    throw error;
  }
  const { response } = result;
  if (response.ok) return { data: result.data as DataOf<R>, response };
  const retryAfterSeconds = retryAfterSecondsOf(parseRetryAfterMs(response.headers.get('retry-after')));
  const problem = isProblem(result.error) ? result.error : undefined;
  return {
    response,
    error: withRetryAfter({ kind: 'http', status: response.status, problem, body: result.error }, retryAfterSeconds),
  };
}

function withRetryAfter<E extends DependencyError>(error: E, retryAfterSeconds: number | undefined): E {
  return retryAfterSeconds === undefined ? error : { ...error, retryAfterSeconds };
}

/**
 * The 503 DEPENDENCY_UNAVAILABLE a service answers when a dependency failed without a usable
 * answer (unavailable, or a 5xx), keeping its Retry-After. Other HTTP errors are for the service
 * to interpret and are not mapped here.
 */
export function dependencyUnavailable(
  dependency: string,
  error: DependencyError,
  fallbackRetryAfterSeconds = 1,
): AppError {
  const why = error.kind === 'http' ? `answered ${error.status}` : `is unavailable (${error.reason.replace('_', ' ')})`;
  return new AppError('DEPENDENCY_UNAVAILABLE', {
    detail: `${dependency} ${why}`,
    retryAfterSeconds: error.retryAfterSeconds ?? fallbackRetryAfterSeconds,
  });
}
