import { randomFillSync } from 'node:crypto';
import {
  context,
  isSpanContextValid,
  trace,
  TraceFlags,
  type Context,
  type Span,
  type SpanContext,
  type SpanOptions,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';

/** Random bytes drawn from a refilled pool: one syscall per 4 KiB instead of one per id. */
const pool = Buffer.allocUnsafe(4096);
let offset = pool.length;

function randomHex(bytes: number): string {
  for (;;) {
    if (offset + bytes > pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const id = pool.toString('hex', offset, offset + bytes);
    offset += bytes;
    if (!/^0+$/.test(id)) return id; // an all-zero id is invalid
  }
}

/**
 * A tracer that only gives spans their ids: each span continues the parent's trace (or starts
 * one, sampled) with a new span id, and records nothing (attributes, status and end are no-ops).
 * What the kit needs for `traceparent` propagation and trace ids in logs, without the SDK's cost
 * per span. Install the SDK's provider instead when spans should go somewhere.
 */
class IdOnlyTracer implements Tracer {
  startSpan(_name: string, options?: SpanOptions, parentContext: Context = context.active()): Span {
    const parent = options?.root ? undefined : trace.getSpanContext(parentContext);
    const valid = parent !== undefined && isSpanContextValid(parent);
    const spanContext: SpanContext = {
      traceId: valid ? parent.traceId : randomHex(16),
      spanId: randomHex(8),
      traceFlags: valid ? parent.traceFlags : TraceFlags.SAMPLED,
      ...(valid && parent.traceState !== undefined ? { traceState: parent.traceState } : {}),
    };
    return trace.wrapSpanContext(spanContext);
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...rest: unknown[]): ReturnType<F> {
    const fn = rest.at(-1) as F;
    const options = rest.length >= 2 ? (rest[0] as SpanOptions | undefined) : undefined;
    const parent = rest.length >= 3 ? (rest[1] as Context | undefined) : undefined;
    const parentContext = parent ?? context.active();
    const span = this.startSpan(name, options, parentContext);
    return context.with(trace.setSpan(parentContext, span), () => fn(span)) as ReturnType<F>;
  }
}

/** Gives spans ids and records nothing, whatever provider is installed (for untraced requests). */
export const idOnlyTracer: Tracer = new IdOnlyTracer();

export class IdOnlyTracerProvider implements TracerProvider {
  readonly #tracer = new IdOnlyTracer();

  getTracer(): Tracer {
    return this.#tracer;
  }
}
