import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface RunWatch {
  /** Closes the channel: the reaper removes what is left of the run and exits. */
  release(): void;
}

const REAPER = fileURLToPath(new URL('./reaper.ts', import.meta.url));

/**
 * Starts the run's reaper (reaper.ts) and waits until it listens. It runs detached, in a session
 * of its own (a Ctrl-C in the terminal does not reach it), and its channel does not keep this
 * process alive. When this process ends in any way, the channel closes and the reaper removes the
 * run's containers, so nothing here has to handle signals.
 */
export async function watchRun(runId: string): Promise<RunWatch> {
  // execArgv: none of this process's own flags (an `-e` script, a test runner's loader options).
  const child = fork(REAPER, [runId], {
    detached: true,
    execArgv: [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the containers reaper exited early (code ${code})`)));
  });
  child.removeAllListeners();
  child.unref();
  child.channel?.unref();
  return {
    release: () => {
      if (child.connected) child.disconnect();
    },
  };
}
