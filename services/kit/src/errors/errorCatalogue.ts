/**
 * The closed set of error codes of the reference system and their one mapping to HTTP status
 * and problem title. Adding a code means adding it here; the `Record` keeps the map exhaustive.
 *
 * UNKNOWN_PRODUCT is 404 (the inventory contract answers 404 when a reservation names a product
 * that does not exist). The *_NOT_FOUND, RESERVATION_MISMATCH and REFUND_EXCEEDS_CHARGE codes
 * come from the OpenAPI contracts; the QUERY_* codes from the gateway's GraphQL API (a document that
 * does not parse, nests deeper or costs more than the configured limits).
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'MALFORMED_JSON'
  | 'IDEMPOTENCY_KEY_MISSING'
  | 'UNAUTHENTICATED'
  | 'PAYMENT_DECLINED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PRODUCT_NOT_FOUND'
  | 'ORDER_NOT_FOUND'
  | 'RESERVATION_NOT_FOUND'
  | 'CHARGE_NOT_FOUND'
  | 'UNKNOWN_PRODUCT'
  | 'OUT_OF_STOCK'
  | 'IDEMPOTENCY_CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'RESERVATION_MISMATCH'
  | 'REFUND_EXCEEDS_CHARGE'
  | 'INVALID_CURSOR'
  | 'QUERY_SYNTAX_ERROR'
  | 'QUERY_TOO_DEEP'
  | 'QUERY_TOO_COMPLEX'
  | 'RATE_LIMITED'
  | 'INTERNAL'
  | 'DEPENDENCY_UNAVAILABLE';

export interface ErrorDefinition {
  status: number;
  title: string;
}

export const errorCatalogue: Readonly<Record<ErrorCode, ErrorDefinition>> = {
  VALIDATION_FAILED: { status: 400, title: 'Request validation failed' },
  MALFORMED_JSON: { status: 400, title: 'Request body is not valid JSON' },
  IDEMPOTENCY_KEY_MISSING: { status: 400, title: 'Idempotency-Key header is required' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  PAYMENT_DECLINED: { status: 402, title: 'Payment declined' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  PRODUCT_NOT_FOUND: { status: 404, title: 'Product not found' },
  ORDER_NOT_FOUND: { status: 404, title: 'Order not found' },
  RESERVATION_NOT_FOUND: { status: 404, title: 'Reservation not found' },
  CHARGE_NOT_FOUND: { status: 404, title: 'Charge not found' },
  UNKNOWN_PRODUCT: { status: 404, title: 'Unknown product' },
  OUT_OF_STOCK: { status: 409, title: 'Product out of stock' },
  IDEMPOTENCY_CONFLICT: { status: 409, title: 'A request with this Idempotency-Key is in flight' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Request body too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'Idempotency-Key reused with a different body' },
  RESERVATION_MISMATCH: { status: 422, title: 'Order id already reserved with different items' },
  REFUND_EXCEEDS_CHARGE: { status: 422, title: 'Refund exceeds the remaining amount' },
  INVALID_CURSOR: { status: 422, title: 'Paging cursor names no point in time' },
  QUERY_SYNTAX_ERROR: { status: 400, title: 'GraphQL document does not parse' },
  QUERY_TOO_DEEP: { status: 400, title: 'GraphQL query nests deeper than allowed' },
  QUERY_TOO_COMPLEX: { status: 400, title: 'GraphQL query costs more than allowed' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL: { status: 500, title: 'Internal server error' },
  DEPENDENCY_UNAVAILABLE: { status: 503, title: 'A dependency is unavailable' },
};

export const errorCodes = Object.keys(errorCatalogue) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCatalogue, value);
}

/** The problem `type` of a code: a relative URI reference, `/problems/out-of-stock`. */
export function problemTypeOf(code: ErrorCode): string {
  return `/problems/${code.toLowerCase().replaceAll('_', '-')}`;
}
