import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { readFile } from 'node:fs/promises';

export interface SpawnOptions {
  name: string;
  command: string;
  args: readonly string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as another user (root cannot run PostgreSQL). */
  uid?: number;
  gid?: number;
}

/**
 * A child process in its own process group, with output appended to a log file. `stop()` signals
 * the whole group, so helpers the child starts (erl_child_setup, postgres backends) go too.
 */
export class ManagedProcess {
  readonly name: string;
  readonly logFile: string;
  readonly child: ChildProcess;
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  private readonly exited: Promise<void>;

  constructor(opts: SpawnOptions) {
    this.name = opts.name;
    this.logFile = opts.logFile;
    const log = fs.openSync(opts.logFile, 'a');
    this.child = spawn(opts.command, [...opts.args], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      detached: true,
      stdio: ['ignore', log, log],
      ...(opts.uid === undefined ? {} : { uid: opts.uid }),
      ...(opts.gid === undefined ? {} : { gid: opts.gid }),
    });
    fs.closeSync(log);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        resolve();
      });
      this.child.once('error', (error) => {
        fs.appendFileSync(opts.logFile, `\n[harness] could not start ${opts.command}: ${error.message}\n`);
        this.exitCode = -1;
        resolve();
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.exitCode === null && this.exitSignal === null;
  }

  /** A one-line reason when the process has ended, for readiness checks to fail fast. */
  exitReason(): string | undefined {
    if (this.running) return undefined;
    return `${this.name} exited (${this.exitSignal ?? `code ${this.exitCode}`}); see ${this.logFile}`;
  }

  async stop(graceMs = 5_000): Promise<void> {
    if (this.running) {
      signalGroup(this.pid, 'SIGTERM');
      // The grace timer is cleared once the process is gone: a pending one would keep whoever stops
      // processes (the `harness up` supervisor) alive for the rest of the grace.
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      });
      const gone = await Promise.race([this.exited.then(() => true), grace]);
      clearTimeout(timer);
      if (!gone) signalGroup(this.pid, 'SIGKILL');
      await this.exited;
    }
    // Whatever the leader left behind in its group goes as well.
    signalGroup(this.pid, 'SIGKILL');
  }

  async logTail(lines = 20): Promise<string> {
    return tailOf(this.logFile, lines);
  }
}

export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** True when the process exists and is not a zombie (an exited child nobody reaped yet). */
export function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

export async function tailOf(file: string, lines = 20): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
