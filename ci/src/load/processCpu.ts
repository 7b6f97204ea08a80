import os from 'node:os';
import { ownsProcess, type OwnedProcess } from '@harness/runtime';
import { processTree } from './processMemory.ts';
import {
  allProcStats,
  clockTicksPerSecond,
  readMachineTicks,
  readProcStat,
  type MachineTicks,
  type ProcStat,
} from './procStat.ts';

/** The CPU state at one instant: every member of each component's process tree, and the machine. */
export interface CpuSnapshot {
  /** performance.now() in ms. */
  atMs: number;
  machine: MachineTicks;
  /** Per component (a process of the run, or the load generator), its tree's /proc stats. */
  trees: Record<string, ProcStat[]>;
}

interface ComponentCpu {
  name: string;
  /** CPU time (user + system) spent during the phase. */
  seconds: number;
  /** Of one core, over the phase's wall time (200 = two cores busy). */
  percentOfCore: number;
  /** CPU milliseconds per confirmed order. */
  msPerOrder: number;
}

/** Where the CPU went during one phase, per component and per confirmed order. */
export interface CpuBreakdown {
  wallSeconds: number;
  cores: number;
  confirmed: number;
  /** Each process of the run (its whole tree), busiest first. */
  components: ComponentCpu[];
  /** The system under test: the sum of the run's processes. */
  system: ComponentCpu;
  /** k6 and this harness process: load, not the system. */
  loadGenerator: ComponentCpu;
  /** Every busy tick of the machine (/proc/stat), whoever spent it. */
  machine: ComponentCpu & { utilisation: number };
  /** Machine time not accounted to the run or the load generator: the kernel and other tenants. */
  otherSeconds: number;
  /** Confirmed orders/s the cores could carry at the system's CPU per order (load generator excluded). */
  ceilingPerSecond: number;
}

/** The name under which k6 (the harness process's exited children) is reported. */
export const K6_COMPONENT = 'k6';
/** The harness process itself (the bench driver and its samplers). */
export const HARNESS_COMPONENT = 'harness';
const LOAD_GENERATOR = new Set([K6_COMPONENT, HARNESS_COMPONENT]);

/**
 * Clock ticks a process tree spent between two snapshots of it. Processes present at the end count
 * from their start figures (or from zero when they are new), their waited-for children through
 * cutime/cstime; a member that exited and was reaped inside the tree has its whole life in its
 * parent's cutime, so the part it had spent before the start is taken off again. A member reaped
 * outside the tree is lost (nothing at all can see its last ticks).
 */
export function treeTicks(start: ProcStat[], end: ProcStat[]): number {
  const before = new Map(start.map((stat) => [stat.pid, stat]));
  const after = new Set(end.map((stat) => stat.pid));
  let ticks = 0;
  for (const now of end) {
    const was = before.get(now.pid);
    // A smaller figure means a reused pid: count the new process from zero.
    const self = now.utime + now.stime;
    const children = now.cutime + now.cstime;
    const selfBefore = was ? was.utime + was.stime : 0;
    const childrenBefore = was ? was.cutime + was.cstime : 0;
    ticks += self >= selfBefore ? self - selfBefore : self;
    ticks += children >= childrenBefore ? children - childrenBefore : children;
  }
  for (const gone of start) {
    if (after.has(gone.pid) || !after.has(gone.ppid)) continue;
    ticks -= gone.utime + gone.stime + gone.cutime + gone.cstime;
  }
  return Math.max(0, ticks);
}

/** The ceiling the CPU sets: every core busy at `msPerOrder` of CPU per confirmed order. */
export function cpuCeiling(cores: number, msPerOrder: number): number {
  return msPerOrder > 0 ? (cores * 1000) / msPerOrder : 0;
}

/** Pure: the breakdown between two snapshots, for `confirmed` orders. */
export function cpuBreakdown(
  start: CpuSnapshot,
  end: CpuSnapshot,
  options: { confirmed: number; cores: number; ticksPerSecond: number },
): CpuBreakdown {
  const wallSeconds = Math.max((end.atMs - start.atMs) / 1000, 0.001);
  const figure = (name: string, seconds: number): ComponentCpu => ({
    name,
    seconds,
    percentOfCore: (seconds / wallSeconds) * 100,
    msPerOrder: options.confirmed > 0 ? (seconds * 1000) / options.confirmed : 0,
  });
  const all = Object.keys(end.trees).map((name) =>
    figure(name, treeTicks(start.trees[name] ?? [], end.trees[name] ?? []) / options.ticksPerSecond),
  );
  const sum = (list: ComponentCpu[]): number => list.reduce((total, item) => total + item.seconds, 0);
  const components = all.filter((item) => !LOAD_GENERATOR.has(item.name)).sort((a, b) => b.seconds - a.seconds);
  const system = figure('system', sum(components));
  const loadGenerator = figure('load generator', sum(all.filter((item) => LOAD_GENERATOR.has(item.name))));
  const busy = (end.machine.busy - start.machine.busy) / options.ticksPerSecond;
  const total = (end.machine.total - start.machine.total) / options.ticksPerSecond;
  return {
    wallSeconds,
    cores: options.cores,
    confirmed: options.confirmed,
    components,
    system,
    loadGenerator,
    machine: { ...figure('machine', busy), utilisation: total > 0 ? busy / total : 0 },
    otherSeconds: Math.max(0, busy - system.seconds - loadGenerator.seconds),
    ceilingPerSecond: cpuCeiling(options.cores, system.msPerOrder),
  };
}

/**
 * A snapshot of the run's processes (each with its tree, none counted twice) and of the load
 * generator: this process's own time, and its exited children's (k6, once it has been waited for).
 */
function takeCpuSnapshot(processes: OwnedProcess[]): CpuSnapshot {
  const table = allProcStats();
  const byPid = new Map(table.map((stat) => [stat.pid, stat]));
  const counted = new Set<number>();
  const trees: Record<string, ProcStat[]> = {};
  for (const proc of processes) {
    if (!ownsProcess(proc)) continue;
    const members: ProcStat[] = [];
    for (const pid of processTree(proc.pid, table)) {
      const stat = byPid.get(pid);
      if (counted.has(pid) || !stat) continue;
      counted.add(pid);
      members.push(stat);
    }
    trees[proc.name] = members;
  }
  const self = readProcStat(process.pid);
  if (self) {
    trees[HARNESS_COMPONENT] = [{ ...self, cutime: 0, cstime: 0 }];
    trees[K6_COMPONENT] = [{ ...self, utime: 0, stime: 0 }];
  }
  return { atMs: performance.now(), machine: readMachineTicks(), trees };
}

/** Starts measuring now; stop() after k6 has exited gives the breakdown for the confirmed orders. */
export function startCpuSampling(processes: OwnedProcess[]): { stop(confirmed: number): CpuBreakdown } {
  const start = takeCpuSnapshot(processes);
  return {
    stop(confirmed) {
      return cpuBreakdown(start, takeCpuSnapshot(processes), {
        confirmed,
        cores: os.availableParallelism(),
        ticksPerSecond: clockTicksPerSecond(),
      });
    },
  };
}
