import {
  InterceptingCall,
  Metadata,
  type CallOptions,
  type ClientUnaryCall,
  type Interceptor,
  type ServiceError,
} from '@grpc/grpc-js';
import { context, SpanStatusCode, type Span } from '@opentelemetry/api';
import type { ErrorCode } from '../errors/errorCatalogue.ts';
import {
  createResiliencePolicy,
  type ResiliencePolicy,
  type ResiliencePolicyDeps,
} from '../resilience/createResiliencePolicy.ts';
import { isDependencyUnavailableError, type UnavailableReason } from '../resilience/dependencyFailures.ts';
import type { ResilienceSettingsInput } from '../resilience/resilienceSettings.ts';
import { inSpan, SpanKind } from '../observability/tracing.ts';
import { GrpcStatusError, isGrpcBreakerFailure, isRetryableGrpcFailure } from './grpcFailures.ts';
import { injectGrpcTraceContext, recordGrpcStatus, rpcSpanNaming } from './grpcTracing.ts';
import { status as GrpcStatus } from '@grpc/grpc-js';

/** A generated client's unary method (`client.getStockLevels`), bound to its client. */
export type UnaryMethod<Request, Response> = (
  request: Request,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Response) => void,
) => ClientUnaryCall;

/** Why a gRPC call did not produce data. */
export type GrpcCallError =
  | {
      kind: 'grpc';
      status: GrpcStatus;
      /** From the closed catalogue: the server's ErrorInfo, else what the status means. */
      code: ErrorCode;
      detail: string;
    }
  | { kind: 'unavailable'; reason: UnavailableReason; retryAfterSeconds?: number };

export type GrpcResult<T> = { data: T; error?: undefined } | { data?: undefined; error: GrpcCallError };

export interface GrpcCallOptions {
  /** The method has no side effects (`idempotency_level = NO_SIDE_EFFECTS`): DEADLINE_EXCEEDED is retried too. */
  idempotent: boolean;
  signal?: AbortSignal;
}

/**
 * The cockatiel backstop behind the gRPC deadline: a little longer, so that the deadline
 * (DEADLINE_EXCEEDED, retried for idempotent calls) is what ends a slow attempt.
 */
const BACKSTOP_MARGIN_MS = 250;

export interface GrpcCaller {
  readonly policy: ResiliencePolicy;
  /** Deadline of each attempt. */
  readonly deadlineMs: number;
  call<Request, Response>(
    method: UnaryMethod<Request, Response>,
    request: Request,
    options: GrpcCallOptions,
  ): Promise<GrpcResult<Response>>;
}

/**
 * Calls of one gRPC dependency through the same policy parts as HTTP links (bulkhead → retry →
 * breaker → timeout), with: a deadline per attempt (`settings.timeoutMs`); retries only on
 * UNAVAILABLE, and on DEADLINE_EXCEEDED for idempotent calls; a breaker that does not count
 * statuses blaming the caller; the service token as `x-service-token` metadata, as on HTTP. Each
 * call is one client span (named after the method path, retries as its events) whose context every
 * attempt carries as W3C `traceparent` metadata. Remote failures come back as `{ error }`, never thrown.
 */
export function createGrpcCaller(
  dependency: string,
  settings: ResilienceSettingsInput,
  deps: Omit<ResiliencePolicyDeps, 'isRetryable' | 'isBreakerFailure'> & { serviceToken?: string } = {},
): GrpcCaller {
  const { serviceToken, ...observers } = deps;
  const deadlineMs = settings.timeoutMs ?? 1_000;
  const policy = createResiliencePolicy(
    dependency,
    { ...settings, timeoutMs: deadlineMs + BACKSTOP_MARGIN_MS },
    { ...observers, isRetryable: isRetryableGrpcFailure, isBreakerFailure: isGrpcBreakerFailure },
  );
  return {
    policy,
    deadlineMs,
    call<Request, Response>(
      method: UnaryMethod<Request, Response>,
      request: Request,
      options: GrpcCallOptions,
    ): Promise<GrpcResult<Response>> {
      return inSpan(
        dependency,
        { kind: SpanKind.CLIENT, attributes: { 'rpc.system': 'grpc', 'peer.service': dependency } },
        async (span) => {
          // The client span is active here; every attempt carries it as `traceparent` metadata.
          const traced = context.active();
          const interceptors = [namesSpan(span)];
          try {
            const data = await policy.execute(
              ({ signal }) =>
                new Promise<Response>((resolve, reject) => {
                  const metadata = injectGrpcTraceContext(new Metadata(), traced);
                  if (serviceToken !== undefined) metadata.set('x-service-token', serviceToken);
                  const deadline = Date.now() + deadlineMs;
                  const call = method(request, metadata, { deadline, interceptors }, (error, response) => {
                    signal.removeEventListener('abort', cancel);
                    if (error) reject(new GrpcStatusError(dependency, error, options.idempotent));
                    else resolve(response);
                  });
                  const cancel = (): void => call.cancel();
                  signal.addEventListener('abort', cancel, { once: true });
                }),
              options.signal === undefined ? {} : { signal: options.signal },
            );
            recordGrpcStatus(span, GrpcStatus.OK, 'client');
            return { data };
          } catch (error) {
            if (error instanceof GrpcStatusError) recordGrpcStatus(span, error.status, 'client', error.message);
            const failure = callError(error);
            if (failure.kind === 'unavailable') span.setStatus({ code: SpanStatusCode.ERROR, message: failure.reason });
            return { error: failure };
          }
        },
      );
    },
  };
}

/**
 * Names the call's client span after the method path the first attempt sends
 * (`harness.inventory.v1.StockLevelService/GetStockLevels`), with the RPC attributes. A call that
 * never made an attempt (open breaker, full bulkhead) keeps the dependency's name.
 */
function namesSpan(span: Span): Interceptor {
  return (interceptorOptions, nextCall) => {
    const naming = rpcSpanNaming(interceptorOptions.method_definition.path);
    span.updateName(naming.name).setAttributes(naming.attributes);
    return new InterceptingCall(nextCall(interceptorOptions));
  };
}

function callError(error: unknown): GrpcCallError {
  if (isDependencyUnavailableError(error)) {
    return error.retryAfterSeconds === undefined
      ? { kind: 'unavailable', reason: error.reason }
      : { kind: 'unavailable', reason: error.reason, retryAfterSeconds: error.retryAfterSeconds };
  }
  if (error instanceof GrpcStatusError) {
    if (error.status === GrpcStatus.UNAVAILABLE) return { kind: 'unavailable', reason: 'network' };
    if (error.status === GrpcStatus.DEADLINE_EXCEEDED) return { kind: 'unavailable', reason: 'timeout' };
    return { kind: 'grpc', status: error.status, code: error.code, detail: error.detail };
  }
  throw error;
}
