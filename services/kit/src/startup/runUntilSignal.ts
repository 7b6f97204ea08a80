import { announceMutants } from '../mutants.ts';
import type { Logger } from '../observability/logger.ts';
import { shutdownTracing } from '../observability/tracing.ts';

/** What `runUntilSignal` runs: a service's `createService(...)` result. */
export interface RunnableService {
  /** Migrations, listening, background loops. */
  start(): Promise<void>;
  /** Ordered shutdown of everything `start` opened; safe to call more than once. */
  stop(): Promise<void>;
}

/** The part of `process` that `runUntilSignal` uses (tests pass a fake one). */
export interface ProcessHooks {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  exit(code: number): void;
}

export interface RunUntilSignalOptions {
  /** Default: the real `process`. */
  process?: ProcessHooks;
  /** Default: SIGTERM and SIGINT. */
  signals?: readonly NodeJS.Signals[];
  /** Where HARNESS_MUTANTS and HARNESS_STARTED_BY are read (see mutants.ts). Default: process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Runs a service as a process: starts it, and on the first SIGTERM or SIGINT logs
 * "shutting down", stops it, sends the spans still buffered, logs "stopped" and exits 0 (exits 1 after "shutdown failed" when
 * stop throws). Later signals are ignored while stopping. A start that fails logs "startup
 * failed", stops what was opened and exits 1; a start still running when a signal comes is left to
 * that signal's shutdown. Before starting it reads HARNESS_MUTANTS (see mutants.ts): an unknown
 * name fails the start. Resolves once the service has started.
 */
export async function runUntilSignal(
  service: RunnableService,
  logger: Logger,
  options: RunUntilSignalOptions = {},
): Promise<void> {
  const host = options.process ?? process;
  let stopping = false;

  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) {
      logger.info({ signal }, 'already shutting down');
      return;
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    try {
      await service.stop();
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      await flushSpans(logger);
      host.exit(1);
      return;
    }
    await flushSpans(logger);
    logger.info('stopped');
    host.exit(0);
  };
  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) {
    host.on(signal, () => void shutdown(signal));
  }

  try {
    // Refuses an unknown mutant name; says loudly which mutant is in force, or that it is ignored.
    announceMutants(logger, options.env ?? process.env);
    await service.start();
  } catch (error) {
    if (stopping) return;
    stopping = true;
    logger.fatal({ err: error }, 'startup failed');
    await service.stop().catch((stopError: unknown) => logger.error({ err: stopError }, 'shutdown failed'));
    await flushSpans(logger);
    host.exit(1);
  }
}

/** Sends the spans still buffered (when spans are exported); a failure is logged, not fatal. */
async function flushSpans(logger: Logger): Promise<void> {
  await shutdownTracing().catch((error: unknown) => logger.warn({ err: error }, 'could not flush spans'));
}
