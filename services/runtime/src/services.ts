import path from 'node:path';
import { ManagedProcess } from './process.ts';
import { REPO_ROOT } from './runState.ts';
import type { ServiceName } from './topology.ts';
import { waitUntil } from './wait.ts';

export interface LaunchedService {
  name: ServiceName;
  url: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export interface LaunchOptions {
  name: ServiceName;
  /** The service's environment (see serviceEnvironments); PORT and HOST must be set. */
  env: Record<string, string>;
  logDir: string;
  readyTimeoutMs?: number;
  /** Path checked for readiness (default /health/ready). */
  readyPath?: string;
}

/** Entry point of a service: services/<name>/src/main.ts, run by Node 24 directly. */
export const serviceEntry = (name: ServiceName): string => path.join(REPO_ROOT, 'services', name, 'src', 'main.ts');

/**
 * Starts one service as a child process and waits until its readiness endpoint answers 200.
 * A service that exits while starting fails with the tail of its log.
 */
export async function launchService(opts: LaunchOptions): Promise<LaunchedService> {
  const url = `http://${opts.env.HOST ?? '127.0.0.1'}:${opts.env.PORT}`;
  const proc = new ManagedProcess({
    name: opts.name,
    command: process.execPath,
    args: [serviceEntry(opts.name)],
    logFile: path.join(opts.logDir, `${opts.name}.log`),
    env: { ...process.env, ...opts.env },
    cwd: REPO_ROOT,
  });
  try {
    await waitUntil(
      `service ${opts.name}`,
      async () =>
        (await fetch(`${url}${opts.readyPath ?? '/health/ready'}`, { signal: AbortSignal.timeout(1_000) })).ok,
      { timeoutMs: opts.readyTimeoutMs ?? 30_000, intervalMs: 150, failed: () => proc.exitReason() },
    );
  } catch (error) {
    const tail = await proc.logTail(25);
    await proc.stop(1_000);
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n--- ${opts.name} log (tail) ---\n${tail}`,
      { cause: error },
    );
  }
  return { name: opts.name, url, process: proc, stop: () => proc.stop(10_000) };
}
