import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../observability/logger.ts';

export interface RetryUntilReadyOptions {
  /** Tries before giving up with the last error. Default 30. */
  attempts?: number;
  /** The wait doubles from 100 ms after each failure, up to this. Default 2000. */
  maxDelayMs?: number;
}

/**
 * Runs a startup step (migrations, seeding, a first connection) until it succeeds: the database
 * may still be starting, or its proxy may be faulted. Waits a little longer after each failure
 * and logs it as a warning; rethrows the last error after `attempts` tries.
 */
export async function retryUntilReady(
  step: string,
  logger: Logger,
  run: () => Promise<void>,
  options: RetryUntilReadyOptions = {},
): Promise<void> {
  const attempts = options.attempts ?? 30;
  for (let attempt = 1; ; attempt++) {
    try {
      await run();
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      const delayMs = Math.min(options.maxDelayMs ?? 2_000, 100 * 2 ** (attempt - 1));
      logger.warn({ err: error, attempt, delayMs }, `${step} not ready, retrying`);
      await sleep(delayMs);
    }
  }
}
