import type { Logger, Queryable } from '@harness/kit';
import { purgeIdempotencyKeys, type PurgeOptions } from './purgeIdempotencyKeys.ts';

export interface IdempotencyPurgerOptions extends PurgeOptions {
  db: Queryable;
  /** Time between the end of one purge and the start of the next. */
  intervalMs: number;
  logger?: Logger;
}

export interface IdempotencyPurger {
  /** One purge now (also what the timer runs); resolves with the number of keys deleted. */
  runNow(): Promise<number>;
  /** No further purges; waits for one in progress. */
  stop(): Promise<void>;
}

/**
 * Purges expired Idempotency-Key records every `intervalMs` (the first purge at start). A failed
 * purge (database down) is logged and tried again on the next tick.
 */
export function startIdempotencyPurger(options: IdempotencyPurgerOptions): IdempotencyPurger {
  const { db, intervalMs, logger } = options;
  const purge = { retentionMs: options.retentionMs, batchSize: options.batchSize };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> = Promise.resolve(0);

  const runNow = (): Promise<number> => {
    running = running
      .catch(() => 0)
      .then(async () => {
        const purged = await purgeIdempotencyKeys(db, purge);
        if (purged > 0) logger?.info({ purged, retentionMs: purge.retentionMs }, 'purged expired idempotency keys');
        return purged;
      });
    return running;
  };

  const tick = (): void => {
    void runNow()
      .catch((error: unknown) => {
        logger?.warn({ err: error }, 'purging idempotency keys failed; trying again later');
        return 0;
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs).unref();
      });
  };
  timer = setTimeout(tick, 0).unref();

  return {
    runNow,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running.catch(() => undefined);
    },
  };
}
