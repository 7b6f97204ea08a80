import { ServerInterceptingCall, status as GrpcStatus, type ServerInterceptor } from '@grpc/grpc-js';
import { grpcErrorStatus } from './errorDetails.ts';

/**
 * What grpc-js answers (UNIMPLEMENTED, naming a "server streaming method") when a unary call's body
 * is not exactly one complete message: none, a length prefix announcing more bytes than came, or two.
 */
const GRPC_JS_FRAMING_ANSWER = /^Received (no|a second) request message for /;

/**
 * Answers a unary call whose body is not exactly one complete length-prefixed message INTERNAL with
 * an ErrorInfo, as gRPC's other implementations do for a broken frame (grpc-java: "Half-closed
 * without a request"), instead of grpc-js's UNIMPLEMENTED, which would tell the caller the method
 * does not exist. Every other status passes unchanged.
 */
export const unaryFramingInterceptor: ServerInterceptor = (_method, call) =>
  new ServerInterceptingCall(call, {
    sendStatus(status, next) {
      if (status.code !== GrpcStatus.UNIMPLEMENTED || !GRPC_JS_FRAMING_ANSWER.test(status.details)) {
        next(status);
        return;
      }
      const answer = grpcErrorStatus(
        'INTERNAL',
        'a unary call carries exactly one complete request message (got none, a truncated one, or two)',
      );
      next({ code: GrpcStatus.INTERNAL, details: answer.details ?? '', metadata: answer.metadata ?? null });
    },
  });
