import { context, trace, TraceFlags } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import {
  currentTraceparent,
  extractTraceContext,
  inSpan,
  SpanKind,
  withExtractedContext,
} from '../src/observability/tracing.ts';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('trace propagation', () => {
  it('continues an incoming trace with a new span id and the caller flags', async () => {
    const sampled = `00-${traceId}-00f067aa0ba902b7-01`;
    const child = await withExtractedContext({ traceparent: sampled }, () =>
      inSpan('work', { kind: SpanKind.INTERNAL }, async () => currentTraceparent()),
    );
    expect(child).toMatch(new RegExp(`^00-${traceId}-(?!00f067aa0ba902b7)[0-9a-f]{16}-01$`));
    const unsampled = await withExtractedContext({ traceparent: `00-${traceId}-00f067aa0ba902b7-00` }, () =>
      inSpan('work', { kind: SpanKind.INTERNAL }, async () => currentTraceparent()),
    );
    expect(unsampled).toMatch(/-00$/);
  });

  it('starts a new sampled trace without a parent, with distinct valid ids', async () => {
    const ids = await Promise.all(
      Array.from({ length: 50 }, () =>
        inSpan('root', { kind: SpanKind.SERVER, parent: context.active() }, async (span) => span.spanContext()),
      ),
    );
    expect(new Set(ids.map((id) => id.traceId)).size).toBe(50);
    for (const id of ids) {
      expect(id.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(id.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(id.traceFlags).toBe(TraceFlags.SAMPLED);
    }
  });

  it('reads traceparent from plain, Headers and mixed-case carriers, and ignores garbage', () => {
    const header = `00-${traceId}-00f067aa0ba902b7-01`;
    for (const carrier of [{ traceparent: header }, new Headers({ traceparent: header }), { TraceParent: header }]) {
      expect(trace.getSpanContext(extractTraceContext(carrier))?.traceId).toBe(traceId);
    }
    expect(trace.getSpanContext(extractTraceContext({ traceparent: 'not-a-traceparent' }))).toBeUndefined();
    expect(trace.getSpanContext(extractTraceContext(undefined))).toBeUndefined();
  });
});
