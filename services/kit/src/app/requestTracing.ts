import type { IncomingMessage } from 'node:http';
import { SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyChildLoggerFactory } from 'fastify/types/logger.js';

import { idOnlyTracer } from '../observability/idOnlyTracer.ts';
import { BOUND_TRACE_IDS } from '../observability/logger.ts';
import { extractTraceContext, kitTracer, SpanKind } from '../observability/tracing.ts';

interface RequestTrace {
  span: Span;
  context: Context;
}

const traces = new WeakMap<object, RequestTrace>();

/**
 * Probes and scrapes: their spans get ids (for their log lines) but are never recorded, so health
 * checks, metrics scrapes and the chaos oracles' polls do not flood the trace backend.
 */
const UNRECORDED_PATHS = new Set(['/health/live', '/health/ready', '/metrics', '/admin/resilience']);

function recorded(url: string | undefined): boolean {
  if (url === undefined) return true;
  const query = url.indexOf('?');
  return !UNRECORDED_PATHS.has(query < 0 ? url : url.slice(0, query));
}

/**
 * Starts the request's server span when Fastify creates the request logger (the first thing it
 * does with a request), continuing an incoming `traceparent`, so that every request log line,
 * including Fastify's own, carries `trace_id` and `span_id`. Probes and scrapes are not recorded.
 */
export const tracingChildLoggerFactory: FastifyChildLoggerFactory = function (logger, bindings, options, rawRequest) {
  const request = rawRequest as IncomingMessage;
  const parent = extractTraceContext(request.headers as Record<string, unknown>);
  const tracer = recorded(request.url) ? kitTracer() : idOnlyTracer;
  const span = tracer.startSpan(
    request.method ?? 'HTTP',
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method ?? '' } },
    parent,
  );
  traces.set(request, { span, context: trace.setSpan(parent, span) });
  const { traceId, spanId } = span.spanContext();
  const child = logger.child({ ...bindings, trace_id: traceId, span_id: spanId }, options);
  Object.defineProperty(child, BOUND_TRACE_IDS, { value: true });
  return child;
};

/** The context in which the request's handler runs (its server span active). */
export function requestContext(request: FastifyRequest): Context | undefined {
  return traces.get(request.raw)?.context;
}

/** Ends the request's server span; registered as onResponse hook. */
function endRequestSpan(request: FastifyRequest, reply: FastifyReply): void {
  const entry = traces.get(request.raw);
  if (!entry) return;
  traces.delete(request.raw);
  const route = request.routeOptions.url;
  if (route !== undefined) entry.span.updateName(`${request.method} ${route}`).setAttribute('http.route', route);
  entry.span.setAttribute('http.response.status_code', reply.statusCode);
  if (reply.statusCode >= 500) entry.span.setStatus({ code: SpanStatusCode.ERROR });
  entry.span.end();
}

export function installRequestTracing(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => endRequestSpan(request, reply));
  app.addHook('onRequestAbort', async (request) => {
    traces.get(request.raw)?.span.end();
    traces.delete(request.raw);
  });
}
