import type { Logger } from '../observability/logger.ts';

/** One step of a shutdown: what it closes (for the log) and how. */
export type ShutdownStep = readonly [what: string, close: () => unknown];

/**
 * A service's `stop()`: runs the steps one after the other, in the order given (HTTP server first,
 * then background loops, broker, pool). A failing step is logged as a warning and the next steps
 * still run; the returned promise then rejects naming every failed step. Idempotent: later calls
 * return the first call's promise.
 */
export function orderedShutdown(logger: Logger | undefined, steps: readonly ShutdownStep[]): () => Promise<void> {
  let stopped: Promise<void> | undefined;
  const run = async (): Promise<void> => {
    const failures: { what: string; error: unknown }[] = [];
    for (const [what, close] of steps) {
      try {
        await close();
      } catch (error) {
        logger?.warn({ err: error }, `closing ${what} failed`);
        failures.push({ what, error });
      }
    }
    if (failures.length > 0) {
      throw new AggregateError(
        failures.map((failure) => failure.error),
        `closing ${failures.map((failure) => failure.what).join(', ')} failed`,
      );
    }
  };
  return () => (stopped ??= run());
}
