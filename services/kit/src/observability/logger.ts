import { context, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { installTracing } from './tracing.ts';

export type { Logger };

export interface LoggerOptions {
  service: string;
  level?: LevelWithSilent;
  /** Where lines go; stdout by default (tests pass a stream to read them). */
  destination?: DestinationStream;
}

/** Secrets never logged. Idempotency keys are not secrets and stay visible. */
export const redactedPaths = [
  'authorization',
  'password',
  'token',
  'paymentToken',
  'serviceToken',
  'cookie',
  '*.authorization',
  '*.password',
  '*.token',
  '*.paymentToken',
  '*.serviceToken',
  '*.cookie',
  '*["x-service-token"]',
  '*.*.authorization',
  '*.*.cookie',
  '*.*["x-service-token"]',
  '*.*.password',
  '*.*.token',
  '*.*.paymentToken',
];

/**
 * The service's pino logger. Every line carries `service`, and `trace_id` / `span_id` of the
 * active span (unless a child logger already bound them, as request loggers do).
 */
export function createLogger(options: LoggerOptions): Logger {
  installTracing();
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactedPaths, censor: '[REDACTED]' },
      mixin: (_object, _level, logger) => {
        const span = trace.getSpan(context.active());
        if (!span || 'trace_id' in logger.bindings()) return {};
        const { traceId, spanId } = span.spanContext();
        return { trace_id: traceId, span_id: spanId };
      },
    },
    options.destination,
  );
}
