/** Times the steps of a stage, for the closing summary. */
export interface StageClock {
  step<T>(name: string, work: () => Promise<T>): Promise<T>;
  readonly steps: ReadonlyArray<{ name: string; seconds: number }>;
  totalSeconds(): number;
}

export function startClock(now: () => number = () => performance.now()): StageClock {
  const started = now();
  const steps: Array<{ name: string; seconds: number }> = [];
  return {
    steps,
    async step(name, work) {
      const begin = now();
      try {
        return await work();
      } finally {
        steps.push({ name, seconds: (now() - begin) / 1000 });
      }
    },
    totalSeconds: () => (now() - started) / 1000,
  };
}
