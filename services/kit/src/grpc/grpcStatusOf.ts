import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ErrorCode } from '../errors/errorCatalogue.ts';

/** The gRPC status of each catalogue code, the way `errorCatalogue` gives its HTTP status. */
export const grpcStatusOf: Readonly<Record<ErrorCode, GrpcStatus>> = {
  VALIDATION_FAILED: GrpcStatus.INVALID_ARGUMENT,
  MALFORMED_JSON: GrpcStatus.INVALID_ARGUMENT,
  IDEMPOTENCY_KEY_MISSING: GrpcStatus.INVALID_ARGUMENT,
  UNAUTHENTICATED: GrpcStatus.UNAUTHENTICATED,
  PAYMENT_DECLINED: GrpcStatus.FAILED_PRECONDITION,
  FORBIDDEN: GrpcStatus.PERMISSION_DENIED,
  NOT_FOUND: GrpcStatus.NOT_FOUND,
  METHOD_NOT_ALLOWED: GrpcStatus.UNIMPLEMENTED,
  PRODUCT_NOT_FOUND: GrpcStatus.NOT_FOUND,
  ORDER_NOT_FOUND: GrpcStatus.NOT_FOUND,
  RESERVATION_NOT_FOUND: GrpcStatus.NOT_FOUND,
  CHARGE_NOT_FOUND: GrpcStatus.NOT_FOUND,
  UNKNOWN_PRODUCT: GrpcStatus.NOT_FOUND,
  OUT_OF_STOCK: GrpcStatus.FAILED_PRECONDITION,
  IDEMPOTENCY_CONFLICT: GrpcStatus.ABORTED,
  PAYLOAD_TOO_LARGE: GrpcStatus.RESOURCE_EXHAUSTED,
  UNSUPPORTED_MEDIA_TYPE: GrpcStatus.INVALID_ARGUMENT,
  IDEMPOTENCY_KEY_REUSED: GrpcStatus.FAILED_PRECONDITION,
  RESERVATION_MISMATCH: GrpcStatus.FAILED_PRECONDITION,
  REFUND_EXCEEDS_CHARGE: GrpcStatus.FAILED_PRECONDITION,
  INVALID_CURSOR: GrpcStatus.INVALID_ARGUMENT,
  QUERY_SYNTAX_ERROR: GrpcStatus.INVALID_ARGUMENT,
  QUERY_TOO_DEEP: GrpcStatus.INVALID_ARGUMENT,
  QUERY_TOO_COMPLEX: GrpcStatus.INVALID_ARGUMENT,
  RATE_LIMITED: GrpcStatus.RESOURCE_EXHAUSTED,
  INTERNAL: GrpcStatus.INTERNAL,
  DEPENDENCY_UNAVAILABLE: GrpcStatus.UNAVAILABLE,
};

/**
 * The catalogue code of a gRPC status that came without an ErrorInfo detail (from grpc-js itself
 * or a proxy): what the caller should make of it.
 */
export function errorCodeOfGrpcStatus(code: GrpcStatus): ErrorCode {
  switch (code) {
    case GrpcStatus.INVALID_ARGUMENT:
    case GrpcStatus.OUT_OF_RANGE:
      return 'VALIDATION_FAILED';
    case GrpcStatus.NOT_FOUND:
      return 'NOT_FOUND';
    case GrpcStatus.UNAUTHENTICATED:
      return 'UNAUTHENTICATED';
    case GrpcStatus.PERMISSION_DENIED:
      return 'FORBIDDEN';
    case GrpcStatus.RESOURCE_EXHAUSTED:
      return 'RATE_LIMITED';
    case GrpcStatus.UNAVAILABLE:
    case GrpcStatus.DEADLINE_EXCEEDED:
    case GrpcStatus.CANCELLED:
      return 'DEPENDENCY_UNAVAILABLE';
    case GrpcStatus.OK:
    case GrpcStatus.UNKNOWN:
    case GrpcStatus.ALREADY_EXISTS:
    case GrpcStatus.FAILED_PRECONDITION:
    case GrpcStatus.ABORTED:
    case GrpcStatus.UNIMPLEMENTED:
    case GrpcStatus.INTERNAL:
    case GrpcStatus.DATA_LOSS:
      return 'INTERNAL';
  }
}
