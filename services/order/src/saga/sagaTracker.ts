/** Sagas still running after their request answered, so shutdown can let them finish. */
export function createSagaTracker() {
  const running = new Set<Promise<unknown>>();
  return {
    track(saga: Promise<unknown>): void {
      running.add(saga);
      void saga.finally(() => running.delete(saga));
    },
    get size(): number {
      return running.size;
    },
    /** Waits for the running sagas, at most `timeoutMs`; the rest are resumed by a worker later. */
    async drain(timeoutMs: number): Promise<void> {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      await Promise.race([Promise.allSettled([...running]), timeout]);
      clearTimeout(timer);
    },
  };
}
