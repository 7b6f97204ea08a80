import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@harness/kit';

/**
 * Runs a startup step until it succeeds (the database may still be starting, or its proxy may be
 * faulted), waiting a little longer after each failure, at most `maxDelayMs`.
 */
export async function retryUntilReady(
  step: string,
  logger: Logger,
  run: () => Promise<void>,
  options: { attempts?: number; maxDelayMs?: number } = {},
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
