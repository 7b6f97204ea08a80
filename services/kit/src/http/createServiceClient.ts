import createClient, { type Client } from 'openapi-fetch';
import { inSpan, injectTraceHeaders, SpanKind } from '../observability/tracing.ts';
import type { ResiliencePolicy } from '../resilience/createResiliencePolicy.ts';
import { DependencyNetworkError, DependencyStatusError } from '../resilience/dependencyFailures.ts';
import { parseRetryAfterMs } from './retryAfter.ts';

export type FetchFunction = (request: Request) => Promise<Response>;

export interface ServiceClientOptions {
  baseUrl: string;
  /** The dependency's resilience policy; its name labels metrics and events. */
  policy: ResiliencePolicy;
  /** Sent as X-Service-Token on every request. */
  serviceToken?: string;
  fetch?: FetchFunction;
}

const idempotentMethods = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** Safe to send twice: an idempotent method, or a request that carries an Idempotency-Key. */
export function isRetryableRequest(request: Request): boolean {
  return idempotentMethods.has(request.method.toUpperCase()) || request.headers.has('idempotency-key');
}

/** Answers that count as failures of the dependency: 5xx and 429. */
function isFailureStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

/**
 * A typed openapi-fetch client for one dependency whose every request runs through the
 * dependency's resilience policy and carries X-Service-Token and traceparent. Wrap calls in
 * `callDependency` to get a `{ data } | { error }` union instead of exceptions.
 */
export function createServiceClient<Paths extends object>(options: ServiceClientOptions): Client<Paths> {
  return createClient<Paths>({ baseUrl: options.baseUrl, fetch: resilientFetch(options) });
}

/** A fetch that sends each request through the policy (exposed for clients not built from a spec). */
export function resilientFetch(options: ServiceClientOptions): FetchFunction {
  const { policy } = options;
  const dependency = policy.dependency;
  const baseFetch: FetchFunction = options.fetch ?? ((request) => fetch(request));

  return (request) =>
    inSpan(
      `${request.method} ${dependency}`,
      { kind: SpanKind.CLIENT, attributes: { 'http.request.method': request.method, 'peer.service': dependency } },
      async (span) => {
        const headers = injectTraceHeaders(new Headers(request.headers));
        if (options.serviceToken !== undefined) headers.set('x-service-token', options.serviceToken);
        const prepared = new Request(request, { headers });
        try {
          const response = await policy.execute(
            async ({ signal }) => {
              const attempt = new Request(prepared.clone(), { signal: AbortSignal.any([signal, request.signal]) });
              let response: Response;
              try {
                response = await buffered(await baseFetch(attempt));
              } catch (error) {
                if (signal.aborted || request.signal.aborted) throw error;
                throw new DependencyNetworkError(dependency, error);
              }
              if (!isFailureStatus(response.status)) return response;
              throw new DependencyStatusError(
                dependency,
                response,
                parseRetryAfterMs(response.headers.get('retry-after')),
              );
            },
            { retryable: isRetryableRequest(prepared), signal: request.signal },
          );
          span.setAttribute('http.response.status_code', response.status);
          return response;
        } catch (error) {
          if (!(error instanceof DependencyStatusError)) throw error;
          span.setAttribute('http.response.status_code', error.status);
          return error.response;
        }
      },
    );
}

const nullBodyStatuses = new Set([101, 204, 205, 304]);

/** The response with its body read, so the attempt's timeout covers the whole answer. */
async function buffered(response: Response): Promise<Response> {
  const body = nullBodyStatuses.has(response.status) ? null : await response.arrayBuffer();
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
