import { createLogger } from '../../src/observability/logger.ts';

/** A real pino logger whose JSON lines are kept in memory for assertions. */
export function capturedLogger(service = 'test', level: 'info' | 'debug' = 'info') {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service,
    level,
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return { logger, lines };
}
