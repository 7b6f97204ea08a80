import { spawnSync } from 'node:child_process';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

interface Guard {
  /** Removes the containers (async, idempotent). */
  stop(): Promise<void>;
  /** Container ids, for the last-resort synchronous removal at process exit. */
  containerIds(): string[];
}

const guards = new Set<Guard>();

/**
 * Removes a run's containers when the process is interrupted (Ctrl-C, SIGTERM, SIGHUP) or exits
 * without stopping them. A signal the process has no other handler for is re-raised after the
 * removal, so the process still ends as it would have; where the application handles the signal
 * itself (the CLI stops the run), the removal happens beside its handler. Returns the function
 * that disarms the guard (called by stop()).
 */
export function removeOnInterrupt(guard: Guard): () => void {
  if (guards.size === 0) install();
  guards.add(guard);
  return () => {
    guards.delete(guard);
    if (guards.size === 0) uninstall();
  };
}

function onSignal(signal: NodeJS.Signals): void {
  const pending = [...guards];
  void Promise.allSettled(pending.map((guard) => guard.stop())).then(() => {
    uninstall();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}

/** No event loop is left at exit: remove with the docker CLI, synchronously, best effort. */
function onExit(): void {
  const ids = [...guards].flatMap((guard) => guard.containerIds());
  if (ids.length > 0) spawnSync('docker', ['rm', '--force', '--volumes', ...ids], { stdio: 'ignore', timeout: 20_000 });
}

function install(): void {
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on('exit', onExit);
}

function uninstall(): void {
  for (const signal of SIGNALS) process.off(signal, onSignal);
  process.off('exit', onExit);
}
