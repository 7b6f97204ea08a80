import fs from 'node:fs';
import { ownsProcess, reachableFrom, referenceConfig, type OwnedProcess, type ResolvedConfig } from '@harness/runtime';
import { allProcStats, type ProcStat } from './procStat.ts';

/** Resident memory of a run's processes, from /proc (Linux). kB throughout. */
export interface RunMemory {
  /** Sum of VmRSS over every process of the run (shared pages count once per process). */
  rssKb: number;
  /** Sum of proportional set sizes: shared pages split between their users, so no double counting. */
  pssKb: number;
  processCount: number;
  /** Per owned process, its whole tree. */
  byName: Record<string, { rssKb: number; pssKb: number; processes: number }>;
}

/** Enough of a process to place it in a tree. */
export type ProcInfo = Pick<ProcStat, 'pid' | 'ppid' | 'pgid'>;

/** The process, its descendants, and the members of its process group (when it leads one). */
export function processTree(root: number, table: ProcInfo[] = allProcStats()): number[] {
  const children = new Map<number, number[]>();
  for (const info of table) children.set(info.ppid, [...(children.get(info.ppid) ?? []), info.pid]);
  const found = new Set<number>();
  const queue = [root];
  for (const info of table) if (info.pgid === root) queue.push(info.pid);
  while (queue.length > 0) {
    const pid = queue.pop() ?? 0;
    if (found.has(pid)) continue;
    found.add(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return [...found].filter((pid) => table.some((info) => info.pid === pid));
}

/** VmRSS and Pss of one process in kB (0 when it is gone or unreadable). */
export function memoryOf(pid: number): { rssKb: number; pssKb: number } {
  const field = (text: string, name: string): number =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  let rssKb: number;
  try {
    rssKb = field(fs.readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS');
  } catch {
    return { rssKb: 0, pssKb: 0 };
  }
  try {
    return { rssKb, pssKb: field(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss') };
  } catch {
    return { rssKb, pssKb: rssKb };
  }
}

/** Memory of every process a run owns (services, PostgreSQL with its backends, RabbitMQ, Toxiproxy, Jaeger). */
export function runMemory(processes: OwnedProcess[]): RunMemory {
  const table = allProcStats();
  const counted = new Set<number>();
  const result: RunMemory = { rssKb: 0, pssKb: 0, processCount: 0, byName: {} };
  for (const proc of processes) {
    if (!ownsProcess(proc)) continue;
    const entry = { rssKb: 0, pssKb: 0, processes: 0 };
    for (const pid of processTree(proc.pid, table)) {
      if (counted.has(pid)) continue;
      counted.add(pid);
      const memory = memoryOf(pid);
      entry.rssKb += memory.rssKb;
      entry.pssKb += memory.pssKb;
      entry.processes += 1;
    }
    result.byName[proc.name] = entry;
    result.rssKb += entry.rssKb;
    result.pssKb += entry.pssKb;
    result.processCount += entry.processes;
  }
  return result;
}

/** Samples the run's memory every `intervalMs` until stopped; keeps the peak (by RSS). */
export function sampleMemory(processes: OwnedProcess[], intervalMs = 1000): { stop(): RunMemory } {
  let peak = runMemory(processes);
  const timer = setInterval(() => {
    const now = runMemory(processes);
    if (now.rssKb > peak.rssKb) peak = now;
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/**
 * Services the memory target leaves out: those the load target does not reach over links (in the
 * reference system, the storefront's web server, a development convenience). They are reported
 * next to the figure, not in it. The rest (the services, PostgreSQL, RabbitMQ, Toxiproxy, Jaeger) count.
 */
function notInSystemMemory(config: ResolvedConfig = referenceConfig()): string[] {
  const target = config.load.target ?? config.chaos.entry;
  if (target === undefined) return [];
  const reached = new Set(reachableFrom(config.topology, target));
  return config.topology.services.map((service) => service.name).filter((name) => !reached.has(name));
}

/** RSS of the run without the services in `left` (kB). */
export function systemRssKb(memory: RunMemory, leftOut: readonly string[] = notInSystemMemory()): number {
  const left = leftOut.reduce((sum, name) => sum + (memory.byName[name]?.rssKb ?? 0), 0);
  return memory.rssKb - left;
}
