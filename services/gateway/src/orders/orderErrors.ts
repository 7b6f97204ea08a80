import { AppError, dependencyUnavailable, type DependencyError, type FieldError } from '@harness/kit';

/** Order answers relayed to the public client as they are (status and problem code). */
const relayedStatuses = new Set([400, 402, 404, 409, 422]);

/**
 * The public error for an order-service failure. A problem the client caused or must know about
 * (400, 402 declined, 404, 409 out of stock / key in flight, 422 key reused) keeps its code,
 * detail and extensions; order's 503 keeps its detail and Retry-After; anything else (no answer,
 * open circuit, 5xx, an unexpected 4xx such as a rejected service token) becomes 503
 * DEPENDENCY_UNAVAILABLE with a Retry-After — never a raw 5xx.
 */
export function publicOrderError(error: DependencyError): AppError {
  if (error.kind === 'http' && error.problem !== undefined) {
    const { problem } = error;
    const retryAfterSeconds = error.retryAfterSeconds ?? problem.retryAfterSeconds;
    if (relayedStatuses.has(error.status) && problem.status === error.status) {
      return new AppError(problem.code, {
        ...(problem.detail === undefined ? {} : { detail: problem.detail }),
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
        ...(problem.errors === undefined ? {} : { errors: problem.errors as FieldError[] }),
        ...(typeof problem.productId === 'string' ? { extensions: { productId: problem.productId } } : {}),
      });
    }
    if (error.status === 503) {
      return new AppError('DEPENDENCY_UNAVAILABLE', {
        detail: problem.detail ?? 'order is unavailable',
        retryAfterSeconds: retryAfterSeconds ?? 1,
      });
    }
  }
  return dependencyUnavailable('order', error);
}
