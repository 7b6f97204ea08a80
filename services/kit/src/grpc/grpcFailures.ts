import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import type { ErrorCode } from '../errors/errorCatalogue.ts';
import { errorInfoOf } from './errorDetails.ts';
import { errorCodeOfGrpcStatus } from './grpcStatusOf.ts';

/**
 * Thrown inside a policy when a gRPC call ended with a status other than OK, so the policy can
 * retry it and the breaker can count it. Knows whether the call was idempotent (retry filter).
 */
export class GrpcStatusError extends Error {
  override readonly name = 'GrpcStatusError';
  readonly status: GrpcStatus;
  readonly idempotent: boolean;
  /** The catalogue code: the ErrorInfo the server sent, else what the status means. */
  readonly code: ErrorCode;
  readonly detail: string;

  constructor(dependency: string, error: ServiceError, idempotent: boolean) {
    super(`${dependency} answered ${GrpcStatus[error.code]}: ${error.details}`, { cause: error });
    this.status = error.code;
    this.idempotent = idempotent;
    const info = errorInfoOf(error);
    this.code = info?.code ?? errorCodeOfGrpcStatus(error.code);
    this.detail = info?.detail ?? error.details;
  }
}

/**
 * Retry filter of gRPC links: UNAVAILABLE (nothing was processed, or the connection broke), and
 * DEADLINE_EXCEEDED only when the method is idempotent (the call may still be running).
 */
export function isRetryableGrpcFailure(error: unknown): boolean {
  if (!(error instanceof GrpcStatusError)) return false;
  return error.status === GrpcStatus.UNAVAILABLE || (error.status === GrpcStatus.DEADLINE_EXCEEDED && error.idempotent);
}

/** Statuses that blame the caller; like 4xx on HTTP links, the breaker does not count them. */
const callerStatuses = new Set<GrpcStatus>([
  GrpcStatus.INVALID_ARGUMENT,
  GrpcStatus.NOT_FOUND,
  GrpcStatus.ALREADY_EXISTS,
  GrpcStatus.PERMISSION_DENIED,
  GrpcStatus.UNAUTHENTICATED,
  GrpcStatus.FAILED_PRECONDITION,
  GrpcStatus.ABORTED,
  GrpcStatus.OUT_OF_RANGE,
  GrpcStatus.CANCELLED,
]);

/** Breaker filter of gRPC links: every failure but the statuses that blame the caller. */
export function isGrpcBreakerFailure(error: unknown): boolean {
  return !(error instanceof GrpcStatusError && callerStatuses.has(error.status));
}
