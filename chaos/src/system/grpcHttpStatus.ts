/**
 * The HTTP status of each gRPC status code (google.rpc.Code's documented HTTP mapping), so that a
 * gRPC call on the wire is judged like an HTTP request: a failure is ≥ 500, a refusal 4xx.
 */
const httpOfGrpc: readonly number[] = [
  200, // 0 OK
  499, // 1 CANCELLED
  500, // 2 UNKNOWN
  400, // 3 INVALID_ARGUMENT
  504, // 4 DEADLINE_EXCEEDED
  404, // 5 NOT_FOUND
  409, // 6 ALREADY_EXISTS
  403, // 7 PERMISSION_DENIED
  429, // 8 RESOURCE_EXHAUSTED
  400, // 9 FAILED_PRECONDITION
  409, // 10 ABORTED
  400, // 11 OUT_OF_RANGE
  501, // 12 UNIMPLEMENTED
  500, // 13 INTERNAL
  503, // 14 UNAVAILABLE
  500, // 15 DATA_LOSS
  401, // 16 UNAUTHENTICATED
];

export function httpStatusOfGrpc(grpcStatus: number): number {
  return httpOfGrpc[grpcStatus] ?? 500;
}

/**
 * The gRPC status a gRPC client makes of an HTTP status (gRPC's "HTTP to gRPC Status Code Mapping"):
 * what a `status` fault answers on a gRPC link when it names no `grpcStatus`.
 */
export function grpcStatusOfHttp(httpStatus: number): number {
  switch (httpStatus) {
    case 400:
      return 13; // INTERNAL
    case 401:
      return 16; // UNAUTHENTICATED
    case 403:
      return 7; // PERMISSION_DENIED
    case 404:
      return 12; // UNIMPLEMENTED
    case 429:
    case 502:
    case 503:
    case 504:
      return 14; // UNAVAILABLE
    default:
      return 2; // UNKNOWN
  }
}
