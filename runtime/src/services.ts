import os from 'node:os';
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
 * How each service's Node runs. A young generation capped at 4 MiB per semi-space (V8 grows it
 * to 16 MiB or more under load and keeps it) and two malloc arenas keep five idle services about
 * 100 MiB smaller after a load run, for no measurable CPU per order; the compile cache makes
 * restarts (chaos kills and restarts services) cheaper. HARNESS_SERVICE_NODE_FLAGS replaces the
 * flags; the env settings yield to values already set.
 */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=4'];

function nodeFlags(): string[] {
  const override = process.env.HARNESS_SERVICE_NODE_FLAGS;
  return override === undefined ? SERVICE_NODE_FLAGS : override.split(/\s+/).filter(Boolean);
}

function nodeEnv(): Record<string, string> {
  return {
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
    NODE_COMPILE_CACHE:
      process.env.NODE_COMPILE_CACHE ?? path.join(os.homedir(), '.cache', 'harness', 'node-compile-cache'),
  };
}

/**
 * Starts one service as a child process and waits until its readiness endpoint answers 200.
 * A service that exits while starting fails with the tail of its log.
 */
export async function launchService(opts: LaunchOptions): Promise<LaunchedService> {
  const url = `http://${opts.env.HOST ?? '127.0.0.1'}:${opts.env.PORT}`;
  const proc = new ManagedProcess({
    name: opts.name,
    command: process.execPath,
    args: [...nodeFlags(), serviceEntry(opts.name)],
    logFile: path.join(opts.logDir, `${opts.name}.log`),
    env: { ...process.env, ...nodeEnv(), ...opts.env },
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
