import { AppError, dependencyUnavailable, type DependencyError, type FieldError, type Problem } from '@harness/kit';
import type { GatewayComponents } from '@harness/contracts';
import { gatewaySpec } from '../gatewaySpec.ts';

type CancellationReason = GatewayComponents['schemas']['CancellationReason'];

/** Order answers relayed to the public client as they are (status and problem code). */
const relayedStatuses = new Set([400, 402, 404, 409, 422]);

/** The reasons the gateway contract names, read from the same spec the gateway serves. */
const cancellationReasons: ReadonlySet<string> = new Set(
  (gatewaySpec as { components: { schemas: { CancellationReason: { enum: readonly string[] } } } }).components.schemas
    .CancellationReason.enum,
);

const isCancellationReason = (value: unknown): value is CancellationReason =>
  typeof value === 'string' && cancellationReasons.has(value);

/**
 * The public error for an order-service failure. A problem the client caused or must know about
 * (400, 402 declined, 404, 409 out of stock / key in flight, 422 key reused) keeps its code,
 * detail, field errors and the `productId` / `orderId` it names; order's 503 keeps its detail and Retry-After, and, when the order was
 * created and cancelled because a dependency was unavailable, its `orderId` and
 * `cancellationReason`; anything else (no answer, open circuit, 5xx, an unexpected 4xx such as a
 * rejected service token) becomes 503 DEPENDENCY_UNAVAILABLE with a Retry-After — never a raw 5xx.
 */
export function publicOrderError(error: DependencyError): AppError {
  if (error.kind === 'http' && error.problem !== undefined) {
    const { problem } = error;
    const retryAfterSeconds = error.retryAfterSeconds ?? problem.retryAfterSeconds;
    if (relayedStatuses.has(error.status) && problem.status === error.status) {
      const extensions = relayedExtensions(problem);
      return new AppError(problem.code, {
        ...(problem.detail === undefined ? {} : { detail: problem.detail }),
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
        ...(problem.errors === undefined ? {} : { errors: problem.errors as FieldError[] }),
        ...(extensions === undefined ? {} : { extensions }),
      });
    }
    if (error.status === 503) {
      const cancellation = cancelledOrderOf(problem);
      return new AppError('DEPENDENCY_UNAVAILABLE', {
        detail: problem.detail ?? 'order is unavailable',
        retryAfterSeconds: retryAfterSeconds ?? 1,
        ...(cancellation === undefined ? {} : { extensions: cancellation }),
      });
    }
  }
  return dependencyUnavailable('order', error);
}

/**
 * Extension members worth relaying on a 4xx: the product that ran out or is unknown, and the
 * order a declined or out-of-stock answer cancelled (so the client can show or fetch it).
 */
function relayedExtensions(problem: Problem): Record<string, string> | undefined {
  const extensions: Record<string, string> = {};
  if (typeof problem.productId === 'string') extensions.productId = problem.productId;
  if (typeof problem.orderId === 'string') extensions.orderId = problem.orderId;
  return Object.keys(extensions).length > 0 ? extensions : undefined;
}

/** The order a 503 names (created, then cancelled because a dependency was unavailable), if any. */
function cancelledOrderOf(problem: Problem): { orderId: string; cancellationReason?: CancellationReason } | undefined {
  if (typeof problem.orderId !== 'string') return undefined;
  return {
    orderId: problem.orderId,
    ...(isCancellationReason(problem.cancellationReason) ? { cancellationReason: problem.cancellationReason } : {}),
  };
}
