import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { createRequire } from 'node:module';
import type { resourceFromAttributes as ResourceFromAttributes } from '@opentelemetry/resources';
import type { BasicTracerProvider as SdkTracerProvider, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { IdOnlyTracerProvider } from './idOnlyTracer.ts';

let installed = false;
/** The SDK's provider when spans go somewhere (flushed and shut down by `shutdownTracing`). */
let sdkProvider: SdkTracerProvider | undefined;

export interface TracingOptions {
  /**
   * Where finished spans go (e.g. an exporter's processor). None by default: spans only get ids
   * (trace propagation and log correlation) and the OpenTelemetry SDK is not even loaded.
   */
  spanProcessors?: SpanProcessor[];
  /** The `service.name` resource attribute of every span (only with span processors). */
  serviceName?: string;
}

/**
 * Installs the process-wide OpenTelemetry pieces once: a tracer provider, an AsyncLocalStorage
 * context manager and the W3C trace context propagator. Later calls are no-ops, so every kit
 * entry point calls it and services need not. True when this call installed them.
 */
export function installTracing(options: TracingOptions = {}): boolean {
  if (installed) return false;
  installed = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const processors = options.spanProcessors ?? [];
  if (processors.length === 0) {
    trace.setGlobalTracerProvider(new IdOnlyTracerProvider());
    return true;
  }
  // Loaded only when spans go somewhere: ids alone do not need the SDK.
  const require = createRequire(import.meta.url);
  const sdk = require('@opentelemetry/sdk-trace-base') as { BasicTracerProvider: typeof SdkTracerProvider };
  const resources = require('@opentelemetry/resources') as { resourceFromAttributes: typeof ResourceFromAttributes };
  sdkProvider = new sdk.BasicTracerProvider({
    spanProcessors: processors,
    ...(options.serviceName === undefined
      ? {}
      : { resource: resources.resourceFromAttributes({ 'service.name': options.serviceName }) }),
  });
  trace.setGlobalTracerProvider(sdkProvider);
  return true;
}

/** True when spans are recorded and go somewhere (an SDK provider with processors is installed). */
export function tracesRecorded(): boolean {
  return sdkProvider !== undefined;
}

/** Sends the spans still buffered and stops the processors; a no-op when no spans go anywhere. */
export async function shutdownTracing(): Promise<void> {
  const provider = sdkProvider;
  if (provider === undefined) return;
  await provider.shutdown();
}

export function kitTracer(): Tracer {
  installTracing();
  return trace.getTracer('@harness/kit');
}

/** Header-ish carriers: a fetch Headers object or a plain (HTTP or AMQP) header record. */
export type HeaderCarrier = Headers | Record<string, unknown>;

/** The W3C `traceparent` of the active context, if a span is active. */
export function currentTraceparent(): string | undefined {
  installTracing();
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** Writes `traceparent` (and `tracestate`) of the active context into the headers; returns them. */
export function injectTraceHeaders<H extends HeaderCarrier>(headers: H): H {
  installTracing();
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  for (const [name, value] of Object.entries(carrier)) {
    if (headers instanceof Headers) headers.set(name, value);
    else (headers as Record<string, unknown>)[name] = value;
  }
  return headers;
}

/** The context a carrier's `traceparent` describes (the root context when it has none). */
export function extractTraceContext(headers: HeaderCarrier | undefined): Context {
  installTracing();
  const carrier: Record<string, string> = {};
  if (headers instanceof Headers) headers.forEach((value, name) => (carrier[name] = value));
  else if (headers) {
    // Node's incoming headers are lower-case already: look the two W3C headers up directly.
    const traceparent = headerText(headers.traceparent);
    if (traceparent !== undefined) {
      carrier.traceparent = traceparent;
      const tracestate = headerText(headers.tracestate);
      if (tracestate !== undefined) carrier.tracestate = tracestate;
    } else {
      for (const [name, value] of Object.entries(headers)) {
        const text = headerText(value);
        if (text !== undefined) carrier[name.toLowerCase()] = text;
      }
    }
  }
  if (carrier.traceparent === undefined) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** Runs `fn` with the trace context carried by the headers (e.g. of a consumed message) active. */
export function withExtractedContext<T>(headers: HeaderCarrier | undefined, fn: () => T): T {
  return context.with(extractTraceContext(headers), fn);
}

export interface SpanOptions {
  kind: SpanKind;
  parent?: Context;
  attributes?: Record<string, string | number | boolean>;
}

/** Runs `fn` inside a new active span that ends (with an error status on throw) when `fn` settles. */
export async function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = kitTracer().startSpan(name, { kind: options.kind, attributes: options.attributes ?? {} }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

export { SpanKind };
