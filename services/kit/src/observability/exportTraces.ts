import { createRequire } from 'node:module';
import type { OTLPTraceExporter as OtlpExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { BatchSpanProcessor as BatchProcessor } from '@opentelemetry/sdk-trace-base';
import { installTracing } from './tracing.ts';

/** What `exportTraces` reads from a service's config (`serviceSettings` has all three). */
export interface TraceExportConfig {
  SERVICE_NAME: string;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_SERVICE_NAME?: string;
}

/** How long finished spans wait in the batch before they are sent (the SDK's default is 5 s). */
const EXPORT_DELAY_MS = 1_000;

/**
 * Exports the process's spans over OTLP/HTTP (protobuf) to `${OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces`,
 * in batches, with `service.name` = OTEL_SERVICE_NAME (else SERVICE_NAME). Without an endpoint it
 * does nothing: spans then only get ids. Call it first thing in main.ts, before anything makes a
 * span; `runUntilSignal` sends what is still buffered on shutdown. True when spans are exported.
 * A full queue drops spans rather than holding memory; an unreachable collector loses them.
 */
export function exportTraces(config: TraceExportConfig): boolean {
  const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (endpoint === undefined) return false;
  // Loaded only when spans are exported.
  const require = createRequire(import.meta.url);
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto') as {
    OTLPTraceExporter: typeof OtlpExporter;
  };
  const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base') as {
    BatchSpanProcessor: typeof BatchProcessor;
  };
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  const installed = installTracing({
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: EXPORT_DELAY_MS })],
    serviceName: config.OTEL_SERVICE_NAME ?? config.SERVICE_NAME,
  });
  if (!installed) throw new Error('exportTraces must run before anything makes a span (first thing in main.ts)');
  return true;
}
