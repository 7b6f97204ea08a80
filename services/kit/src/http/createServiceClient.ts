import createClient, { type Client } from 'openapi-fetch';
import { inSpan, injectTraceHeaders, SpanKind } from '../observability/tracing.ts';
import type { ResiliencePolicy } from '../resilience/createResiliencePolicy.ts';
import { DependencyNetworkError, DependencyStatusError } from '../resilience/dependencyFailures.ts';
import {
  fetchTransport,
  keepAliveTransport,
  type FetchFunction,
  type HttpTransport,
  type KeepAliveTransportOptions,
} from './httpTransport.ts';
import { OutgoingRequest, requestPartsOf } from './outgoingRequest.ts';
import { isProblem } from '../errors/problem.ts';
import { parseRetryAfterMs } from './retryAfter.ts';

export type { FetchFunction };

export interface ServiceClientOptions {
  baseUrl: string;
  /** The dependency's resilience policy; its name labels metrics and events. */
  policy: ResiliencePolicy;
  /** Sent as X-Service-Token on every request. */
  serviceToken?: string;
  /**
   * Sends each attempt with this fetch instead of the kit's keep-alive node:http transport
   * (tests, or a caller with its own HTTP stack). Slower: every attempt becomes a WHATWG Request.
   */
  fetch?: FetchFunction;
  /** Connection settings of the default transport (ignored with `fetch`). */
  connections?: KeepAliveTransportOptions;
}

const idempotentMethods = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** Safe to send twice: an idempotent method, or a request that carries an Idempotency-Key. */
export function isRetryableRequest(request: Pick<Request, 'method' | 'headers'>): boolean {
  return idempotentMethods.has(request.method.toUpperCase()) || request.headers.has('idempotency-key');
}

/** Answers that count as failures of the dependency: 5xx and 429. */
function isFailureStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

/**
 * A typed openapi-fetch client for one dependency whose every request runs through the
 * dependency's resilience policy and carries X-Service-Token and traceparent. Wrap calls in
 * `callDependency` to get a `{ data } | { error }` union instead of exceptions. Requests go over
 * keep-alive node:http connections; openapi-fetch builds a lightweight
 * `OutgoingRequest` instead of a WHATWG Request for each call.
 */
export function createServiceClient<Paths extends object>(options: ServiceClientOptions): Client<Paths> {
  return createClient<Paths>({
    baseUrl: options.baseUrl,
    fetch: resilientFetch(options),
    Request: OutgoingRequest as unknown as typeof Request,
  });
}

/**
 * A fetch that sends each request through the policy (exposed for clients not built from a
 * spec). Takes a WHATWG Request (or the kit's OutgoingRequest); the body is read once and the
 * same bytes are sent on every attempt. Each attempt's answer is read whole within its timeout.
 */
export function resilientFetch(options: ServiceClientOptions): FetchFunction {
  const { policy } = options;
  const dependency = policy.dependency;
  const transport: HttpTransport =
    options.fetch === undefined ? keepAliveTransport(options.connections) : fetchTransport(options.fetch);

  return (request: Request | OutgoingRequest) =>
    inSpan(
      `${request.method} ${dependency}`,
      { kind: SpanKind.CLIENT, attributes: { 'http.request.method': request.method, 'peer.service': dependency } },
      async (span) => {
        const parts = await requestPartsOf(request);
        injectTraceHeaders(parts.headers);
        if (options.serviceToken !== undefined) parts.headers['x-service-token'] = options.serviceToken;
        const callerSignal = request.signal;
        try {
          const response = await policy.execute(
            async ({ signal }) => {
              const attemptSignal = callerSignal === undefined ? signal : AbortSignal.any([signal, callerSignal]);
              let response: Response;
              try {
                response = await transport({ ...parts, signal: attemptSignal });
              } catch (error) {
                if (signal.aborted || callerSignal?.aborted) throw error;
                throw new DependencyNetworkError(dependency, error);
              }
              if (!isFailureStatus(response.status)) return response;
              throw new DependencyStatusError(
                dependency,
                response,
                parseRetryAfterMs(response.headers.get('retry-after')),
                response.status === 503 ? await problemCodeOf(response) : undefined,
              );
            },
            {
              retryable: idempotentMethods.has(parts.method) || 'idempotency-key' in parts.headers,
              ...(callerSignal === undefined ? {} : { signal: callerSignal }),
            },
          );
          span.setAttribute('http.response.status_code', response.status);
          return response;
        } catch (error) {
          if (!(error instanceof DependencyStatusError)) throw error;
          span.setAttribute('http.response.status_code', error.status);
          return error.response;
        }
      },
    ) as Promise<Response>;
}

/** The `code` of a problem+json answer (read from a copy, so the caller can still read the body). */
async function problemCodeOf(response: Response): Promise<string | undefined> {
  if (!response.headers.get('content-type')?.includes('json')) return undefined;
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => undefined);
  return isProblem(body) ? body.code : undefined;
}
