import { context, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { redactSecrets } from './redactSecrets.ts';
import { installTracing } from './tracing.ts';

export type { Logger };

export interface LoggerOptions {
  service: string;
  level?: LevelWithSilent;
  /**
   * Where lines go; by default stdout, written asynchronously (tests pass a stream to read them).
   */
  destination?: DestinationStream;
}

/** Set on loggers whose bindings carry trace_id / span_id (request loggers), inherited by their children. */
export const BOUND_TRACE_IDS = Symbol.for('harness.kit.boundTraceIds');

/**
 * The service's pino logger. Every line carries `service`, and `trace_id` / `span_id` of the
 * active span (unless a child logger already bound them, as request loggers do). Secrets are
 * redacted (see `redactSecrets`).
 *
 * Stdout is written asynchronously: a line goes out at once when no write is in flight, and the
 * lines logged meanwhile go out together in the next write, so a busy service makes one write per
 * batch instead of one blocking write per line (the synchronous writes were 7–15% of a service's
 * CPU under load in `harness bench`'s profiles). pino flushes what is left when the process exits;
 * a SIGKILL can lose the lines of the write in flight.
 */
export function createLogger(options: LoggerOptions): Logger {
  installTracing();
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: redactSecrets },
      mixin: (_object, _level, logger) => {
        const span = trace.getSpan(context.active());
        if (!span || BOUND_TRACE_IDS in logger || 'trace_id' in logger.bindings()) return {};
        const { traceId, spanId } = span.spanContext();
        return { trace_id: traceId, span_id: spanId };
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false, minLength: 0 }),
  );
}
