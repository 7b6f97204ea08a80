import { red, yellow } from './output.ts';

/**
 * Runs `work` with an AbortSignal that the first Ctrl-C (SIGINT) or SIGTERM aborts: the command
 * stops starting new runs, rolls back the faults in force and stops what it started. A second
 * signal quits at once (exit 130), saying that the rollback was cut short.
 */
export async function withInterrupt<T>(command: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const interrupted = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals === 1) {
      console.error(yellow(`\n${signal}: stopping after rolling back the faults in force (again to quit at once)`));
      interrupted.abort();
    } else {
      console.error(
        red(
          `quitting without finishing the rollback; \`harness ${command}\` leaves nothing behind only when it ends itself`,
        ),
      );
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(interrupted.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
