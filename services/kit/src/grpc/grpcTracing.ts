import { status as GrpcStatus, type Metadata } from '@grpc/grpc-js';
import {
  propagation,
  ROOT_CONTEXT,
  SpanStatusCode,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { installTracing } from '../observability/tracing.ts';

/** W3C trace context (`traceparent`, `tracestate`) as gRPC metadata: ASCII entries, lower-case keys. */
const metadataSetter: TextMapSetter<Metadata> = {
  set: (metadata, key, value) => metadata.set(key, value),
};

const metadataGetter: TextMapGetter<Metadata> = {
  keys: (metadata) => Object.keys(metadata.getMap()),
  get: (metadata, key) => {
    const values = metadata.get(key).filter((value): value is string => typeof value === 'string');
    return values.length === 0 ? undefined : values;
  },
};

/** Writes the trace context of `ctx` (its active span) into the call's metadata; returns it. */
export function injectGrpcTraceContext(metadata: Metadata, ctx: Context): Metadata {
  installTracing();
  propagation.inject(ctx, metadata, metadataSetter);
  return metadata;
}

/** The context the call's `traceparent` metadata describes (the root context when it has none). */
export function extractGrpcTraceContext(metadata: Metadata): Context {
  installTracing();
  if (metadata.get('traceparent').length === 0) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, metadata, metadataGetter);
}

/**
 * The OpenTelemetry RPC attributes of a method path (`/harness.inventory.v1.StockLevelService/GetStockLevels`)
 * and the span name they give (`harness.inventory.v1.StockLevelService/GetStockLevels`).
 */
export function rpcSpanNaming(path: string): { name: string; attributes: Record<string, string> } {
  const name = path.replace(/^\//, '');
  const slash = name.lastIndexOf('/');
  return {
    name,
    attributes: {
      'rpc.system': 'grpc',
      'rpc.service': slash < 0 ? name : name.slice(0, slash),
      'rpc.method': slash < 0 ? '' : name.slice(slash + 1),
    },
  };
}

/** The statuses a server span counts as its own error (OpenTelemetry's RPC conventions); the rest blame the caller. */
const serverErrorStatuses = new Set<GrpcStatus>([
  GrpcStatus.UNKNOWN,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.UNIMPLEMENTED,
  GrpcStatus.INTERNAL,
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.DATA_LOSS,
]);

/** Records the call's final status on its span: `rpc.grpc.status_code`, and an error status where it is one. */
export function recordGrpcStatus(span: Span, code: GrpcStatus, side: 'client' | 'server', message?: string): void {
  span.setAttribute('rpc.grpc.status_code', code);
  if (code === GrpcStatus.OK) return;
  if (side === 'client' || serverErrorStatuses.has(code)) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: message ?? GrpcStatus[code] });
  }
}
