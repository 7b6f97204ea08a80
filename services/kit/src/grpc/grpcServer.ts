import {
  Server,
  ServerCredentials,
  status as GrpcStatus,
  type handleUnaryCall,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServiceDefinition,
} from '@grpc/grpc-js';
import { isAppError } from '../errors/AppError.ts';
import { context, trace } from '@opentelemetry/api';
import type { Logger } from '../observability/logger.ts';
import { kitTracer, SpanKind } from '../observability/tracing.ts';
import { grpcErrorStatus } from './errorDetails.ts';
import { extractGrpcTraceContext, recordGrpcStatus, rpcSpanNaming } from './grpcTracing.ts';
import { unaryFramingInterceptor } from './unaryFraming.ts';

export interface GrpcServerOptions {
  /** Largest request message accepted; a larger one is answered RESOURCE_EXHAUSTED by grpc-js. */
  maxMessageBytes: number;
  logger?: Logger;
}

export interface GrpcServer {
  readonly server: Server;
  /** Binds HOST:PORT (0: any free port) and returns the port. */
  listen(host: string, port: number): Promise<number>;
  /** Stops taking calls, lets calls in flight finish for `graceMs`, then cancels what is left. */
  close(graceMs?: number): Promise<void>;
}

/**
 * A grpc-js server with the reference system's limits. Unknown services or methods are answered
 * UNIMPLEMENTED and oversized messages RESOURCE_EXHAUSTED by grpc-js itself; a unary call whose body
 * is not one complete message (truncated frame, none, two) INTERNAL with an ErrorInfo
 * (`unaryFramingInterceptor`); handlers made with `unaryHandler` answer a request that is not valid
 * protobuf INVALID_ARGUMENT with an ErrorInfo.
 */
export function createGrpcServer(options: GrpcServerOptions): GrpcServer {
  const server = new Server({
    'grpc.max_receive_message_length': options.maxMessageBytes,
    'grpc.max_send_message_length': options.maxMessageBytes,
    interceptors: [unaryFramingInterceptor],
  });
  let bound = false;
  return {
    server,
    listen(host, port) {
      return new Promise((resolve, reject) => {
        server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (error, actualPort) => {
          if (error) return reject(error);
          bound = true;
          resolve(actualPort);
        });
      });
    },
    close(graceMs = 5_000) {
      if (!bound) return Promise.resolve();
      return new Promise((resolve) => {
        const force = setTimeout(() => {
          options.logger?.warn({ graceMs }, 'gRPC calls still running after the grace period: cancelled');
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}

/**
 * The service definition with each method's request left as bytes, so that `unaryHandler` decodes
 * it and can answer a malformed message INVALID_ARGUMENT (grpc-js would answer INTERNAL).
 */
export function withRawRequests(definition: ServiceDefinition): ServiceDefinition {
  return Object.fromEntries(
    Object.entries(definition).map(([name, method]) => [
      name,
      { ...method, requestDeserialize: (bytes: Buffer) => bytes },
    ]),
  );
}

export interface UnaryHandlerOptions {
  /** The request message's name, for the error detail (`GetStockLevelsRequest`). */
  requestName: string;
  serviceToken?: string;
  logger?: Logger;
}

/**
 * A unary handler over raw request bytes: checks the service token, decodes, runs `handle`. An
 * AppError becomes its catalogue code's gRPC status with an ErrorInfo; anything else is INTERNAL
 * (logged, never echoed). Each call runs in a server span named after its method path, continuing
 * the caller's `traceparent` metadata, so the handler's own spans (SQL) are its children.
 */
export function unaryHandler<Request, Response>(
  decode: (bytes: Uint8Array) => Request,
  handle: (request: Request, call: ServerUnaryCall<Buffer, Response>) => Promise<Response>,
  options: UnaryHandlerOptions,
): handleUnaryCall<Buffer, Response> {
  return (call, callback) => {
    const naming = rpcSpanNaming(call.getPath());
    const parent = extractGrpcTraceContext(call.metadata);
    const span = kitTracer().startSpan(naming.name, { kind: SpanKind.SERVER, attributes: naming.attributes }, parent);
    const answer: sendUnaryData<Response> = (error, value) => {
      recordGrpcStatus(span, error?.code ?? GrpcStatus.OK, 'server', error?.details ?? undefined);
      span.end();
      callback(error, value);
    };
    context.with(trace.setSpan(parent, span), () => runUnary(decode, handle, options, call, answer));
  };
}

function runUnary<Request, Response>(
  decode: (bytes: Uint8Array) => Request,
  handle: (request: Request, call: ServerUnaryCall<Buffer, Response>) => Promise<Response>,
  options: UnaryHandlerOptions,
  call: ServerUnaryCall<Buffer, Response>,
  callback: sendUnaryData<Response>,
): void {
  if (options.serviceToken !== undefined) {
    const [token] = call.metadata.get('x-service-token');
    if (token !== options.serviceToken) {
      callback(grpcErrorStatus('UNAUTHENTICATED', 'a service token is required (x-service-token metadata)'));
      return;
    }
  }
  let request: Request;
  try {
    request = decode(call.request);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    callback(grpcErrorStatus('VALIDATION_FAILED', `the request is not a valid ${options.requestName}: ${why}`));
    return;
  }
  handle(request, call).then(
    (response) => callback(null, response),
    (error: unknown) => {
      if (isAppError(error)) {
        callback(grpcErrorStatus(error.code, error.detail ?? error.message));
        return;
      }
      options.logger?.error({ err: error, method: call.getPath() }, 'gRPC handler failed');
      callback(grpcErrorStatus('INTERNAL', 'internal error'));
    },
  );
}
