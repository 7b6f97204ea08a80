import { Metadata, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { ErrorInfo, Status } from '@harness/contracts/grpc/rpc/v1/status';
import { isErrorCode, type ErrorCode } from '../errors/errorCatalogue.ts';
import { grpcStatusOf } from './grpcStatusOf.ts';

/** The trailer that carries a google.rpc.Status-shaped message (harness.rpc.v1.Status). */
export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';
const ERROR_INFO_TYPE = 'type.googleapis.com/harness.rpc.v1.ErrorInfo';

/**
 * A gRPC error status for a catalogue code: the code's gRPC status, `detail` as its message, and
 * the details trailer with one harness.rpc.v1.ErrorInfo naming the catalogue code.
 */
export function grpcErrorStatus(code: ErrorCode, detail: string): Partial<StatusObject> {
  const grpcCode = grpcStatusOf[code];
  const info = ErrorInfo.encode({ code, detail }).finish();
  const status = Status.encode({
    code: grpcCode,
    message: detail,
    details: [{ typeUrl: ERROR_INFO_TYPE, value: Buffer.from(info) }],
  }).finish();
  const metadata = new Metadata();
  metadata.set(STATUS_DETAILS_KEY, Buffer.from(status));
  return { code: grpcCode, details: detail, metadata };
}

/** The ErrorInfo of a failed call, when its trailers carry one with a catalogue code. */
export function errorInfoOf(error: Pick<ServiceError, 'metadata'>): { code: ErrorCode; detail: string } | undefined {
  const raw = error.metadata?.get(STATUS_DETAILS_KEY)[0];
  if (!(raw instanceof Buffer)) return undefined;
  try {
    const status = Status.decode(raw);
    const any = status.details.find((detail) => detail.typeUrl === ERROR_INFO_TYPE);
    if (any === undefined) return undefined;
    const info = ErrorInfo.decode(any.value);
    return isErrorCode(info.code) ? { code: info.code, detail: info.detail } : undefined;
  } catch {
    return undefined;
  }
}
