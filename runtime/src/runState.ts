import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InfraDescription } from './infra.ts';
import { isAlive, signalGroup } from './process.ts';
import type { RunSecrets, Wiring } from './serviceEnv.ts';

/**
 * Where runs keep their state (`.harness/`) and stages write `reports/`: this repository, or, for a
 * harness installed as a package, the project it runs in (HARNESS_PROJECT_DIR, which the packed
 * CLI sets to its working directory).
 */
export const REPO_ROOT = process.env.HARNESS_PROJECT_DIR
  ? path.resolve(process.env.HARNESS_PROJECT_DIR)
  : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type RunStatus = 'starting' | 'ready' | 'failed' | 'stopping';

/** A process the run owns, with a word its command line must contain before anyone kills it. */
export interface OwnedProcess {
  name: string;
  pid: number;
  match: string;
}

export interface RunState {
  id: string;
  runDir: string;
  supervisorPid: number;
  startedAt: string;
  status: RunStatus;
  error?: string;
  infra?: InfraDescription;
  /** How the services are connected (absent: proxied). A direct run has no faults to inject. */
  wiring?: Wiring;
  processes: OwnedProcess[];
  /** The harness.config.ts the run was started from, and the system's name. */
  config?: string;
  system?: string;
  /** Extra lines for `harness up` to print (service URLs, demo API key). */
  summary?: string[];
  /** The run's secrets, for stages that drive the system (load, chaos, e2e). */
  secrets?: RunSecrets;
  /** Services that exited while the run was up, with the tail of their logs. */
  crashed?: Array<{ name: string; at: string; reason: string; logTail: string }>;
}

export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HARNESS_STATE_DIR ?? path.join(REPO_ROOT, '.harness');
}

export function stateFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(stateDir(env), 'run.json');
}

export function readRunState(env: NodeJS.ProcessEnv = process.env): RunState | undefined {
  try {
    return JSON.parse(fs.readFileSync(stateFile(env), 'utf8')) as RunState;
  } catch {
    return undefined;
  }
}

export function writeRunState(state: RunState, env: NodeJS.ProcessEnv = process.env): void {
  fs.mkdirSync(stateDir(env), { recursive: true });
  const file = stateFile(env);
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
}

export function clearRunState(env: NodeJS.ProcessEnv = process.env): void {
  fs.rmSync(stateFile(env), { force: true });
}

/** True when the pid is alive and its command line contains `match` (guards against pid reuse). */
export function ownsProcess(proc: OwnedProcess): boolean {
  if (!isAlive(proc.pid)) return false;
  try {
    return fs.readFileSync(`/proc/${proc.pid}/cmdline`, 'utf8').includes(proc.match);
  } catch {
    return false;
  }
}

/**
 * Cleans up after a run whose supervisor died (kill -9, crash, reboot): kills what it left
 * running and removes its run dir. Returns what it did, for the caller to report.
 */
export function reapStaleRun(state: RunState, env: NodeJS.ProcessEnv = process.env): string[] {
  const done: string[] = [];
  for (const proc of state.processes) {
    if (ownsProcess(proc)) {
      signalGroup(proc.pid, 'SIGKILL');
      done.push(`killed leftover ${proc.name} (pid ${proc.pid})`);
    }
  }
  if (fs.existsSync(state.runDir)) {
    fs.rmSync(state.runDir, { recursive: true, force: true });
    done.push(`removed ${state.runDir}`);
  }
  clearRunState(env);
  return done;
}
