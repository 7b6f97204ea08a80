import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** The fields of /proc/<pid>/stat the bench uses; CPU times in clock ticks. */
export interface ProcStat {
  pid: number;
  ppid: number;
  pgid: number;
  /** User and system time of the process itself. */
  utime: number;
  stime: number;
  /** User and system time of its children that exited and were waited for. */
  cutime: number;
  cstime: number;
}

/**
 * Parses one /proc/<pid>/stat line. The command name (field 2) may hold spaces and parentheses,
 * so the fields are counted from the last ')'; field 4 (ppid) is then the second of the rest.
 */
export function parseProcStat(pid: number, text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const rest = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state), so field n is rest[n - 3].
  const field = (n: number): number => Number(rest[n - 3]);
  const stat = {
    pid,
    ppid: field(4),
    pgid: field(5),
    utime: field(14),
    stime: field(15),
    cutime: field(16),
    cstime: field(17),
  };
  return Object.values(stat).every(Number.isFinite) ? stat : undefined;
}

export function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(pid, fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Every process visible in /proc right now. */
export function allProcStats(): ProcStat[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => readProcStat(Number(entry)))
    .filter((stat): stat is ProcStat => stat !== undefined);
}

/** Busy and total clock ticks of the whole machine, from the first ("cpu ") line of /proc/stat. */
export interface MachineTicks {
  busy: number;
  total: number;
}

export function parseMachineStat(text: string): MachineTicks {
  const line = text.split('\n').find((candidate) => candidate.startsWith('cpu '));
  if (!line) throw new Error('/proc/stat has no "cpu " line');
  // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map((n) => Number(n) || 0);
  const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
  return { busy, total: busy + (idle ?? 0) + (iowait ?? 0) };
}

export function readMachineTicks(): MachineTicks {
  return parseMachineStat(fs.readFileSync('/proc/stat', 'utf8'));
}

let ticksPerSecond: number | undefined;

/** USER_HZ from `getconf CLK_TCK`; 100 (Linux's value nearly everywhere) when it cannot be asked. */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond !== undefined) return ticksPerSecond;
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5_000 }).trim());
    ticksPerSecond = Number.isInteger(value) && value > 0 ? value : 100;
  } catch {
    ticksPerSecond = 100;
  }
  return ticksPerSecond;
}
