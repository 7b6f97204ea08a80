import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sleep } from '@harness/runtime';
import {
  cpuBreakdown,
  cpuCeiling,
  HARNESS_COMPONENT,
  K6_COMPONENT,
  startCpuSampling,
  treeTicks,
  type CpuSnapshot,
} from '../src/load/processCpu.ts';
import { parseMachineStat, parseProcStat, type ProcStat } from '../src/load/procStat.ts';

// A postgres backend's stat line: the command name holds spaces and parentheses.
const BACKEND_STAT =
  '4242 (postgres: svc_order svc_order 127.0.0.1(54472) idle) S 4200 4200 4200 0 -1 4194368 1200 0 0 0 ' +
  '37 12 5 3 20 0 1 0 123456 230564000 6607 18446744073709551615 1 1 0 0 0 0 0 16781312 ' +
  '1536 0 0 0 17 1 0 0 0 0 0';

const PROC_STAT = [
  'cpu  1000 50 400 8000 100 10 40 0 0 0',
  'cpu0 500 25 200 4000 50 5 20 0 0 0',
  'cpu1 500 25 200 4000 50 5 20 0 0 0',
  'intr 123',
].join('\n');

const stat = (pid: number, ppid: number, self: number, children = 0): ProcStat => ({
  pid,
  ppid,
  pgid: 1,
  utime: self,
  stime: 0,
  cutime: children,
  cstime: 0,
});

describe('bench CPU accounting: /proc parsing', () => {
  it('reads ppid, utime, stime, cutime and cstime after a command name with spaces and parentheses', () => {
    expect(parseProcStat(4242, BACKEND_STAT)).toEqual({
      pid: 4242,
      ppid: 4200,
      pgid: 4200,
      utime: 37,
      stime: 12,
      cutime: 5,
      cstime: 3,
    });
    expect(parseProcStat(1, 'garbage')).toBeUndefined();
  });

  it('counts user, nice, system, irq, softirq and steal as busy, idle and iowait as not', () => {
    expect(parseMachineStat(PROC_STAT)).toEqual({ busy: 1500, total: 9600 });
    expect(() => parseMachineStat('intr 1')).toThrow(/no "cpu " line/);
  });
});

describe('bench CPU accounting: deltas of a process tree', () => {
  it('adds what each member spent, new members from zero', () => {
    const start = [stat(10, 1, 100), stat(11, 10, 50)];
    const end = [stat(10, 1, 130), stat(11, 10, 70), stat(12, 10, 15)];
    expect(treeTicks(start, end)).toBe(30 + 20 + 15);
  });

  it('counts a child that exited during the phase through its parent cutime, without its earlier ticks', () => {
    // Backend 11 had 50 ticks at the start, spent 20 more and exited; the postmaster reaped it (cutime += 70).
    const start = [stat(10, 1, 100), stat(11, 10, 50)];
    const end = [stat(10, 1, 105, 70)];
    expect(treeTicks(start, end)).toBe(5 + 20);
  });

  it('counts a child that was born and reaped inside the phase in full', () => {
    expect(treeTicks([stat(10, 1, 100)], [stat(10, 1, 100, 9)])).toBe(9);
  });

  it('counts a reused pid from zero and never goes negative', () => {
    expect(treeTicks([stat(10, 1, 500)], [stat(10, 1, 7)])).toBe(7);
    expect(treeTicks([stat(10, 1, 5), stat(20, 99, 50)], [stat(10, 1, 5)])).toBe(0);
  });
});

describe('bench CPU accounting: per order and the ceiling', () => {
  const snapshot = (atMs: number, busy: number, total: number, trees: Record<string, ProcStat[]>): CpuSnapshot => ({
    atMs,
    machine: { busy, total },
    trees,
  });

  it('gives seconds, % of a core and ms per confirmed order per component, and the ceiling without k6', () => {
    const start = snapshot(0, 0, 0, {
      order: [stat(1, 0, 0)],
      postgresql: [stat(2, 0, 0)],
      [K6_COMPONENT]: [stat(3, 0, 0, 0)],
      [HARNESS_COMPONENT]: [stat(3, 0, 0)],
    });
    // 10 s at 100 Hz: order 4 s, postgresql 2 s, k6 2 s, harness 0.5 s; the machine was busy 10 s of 20.
    const end = snapshot(10_000, 1000, 2000, {
      order: [stat(1, 0, 400)],
      postgresql: [stat(2, 0, 200)],
      [K6_COMPONENT]: [stat(3, 0, 0, 200)],
      [HARNESS_COMPONENT]: [stat(3, 0, 50)],
    });
    const cpu = cpuBreakdown(start, end, { confirmed: 1000, cores: 2, ticksPerSecond: 100 });
    expect(cpu.components.map((c) => [c.name, c.seconds, c.percentOfCore, c.msPerOrder])).toEqual([
      ['order', 4, 40, 4],
      ['postgresql', 2, 20, 2],
    ]);
    expect(cpu.system.msPerOrder).toBe(6);
    expect(cpu.loadGenerator.seconds).toBe(2.5);
    expect(cpu.machine.seconds).toBe(10);
    expect(cpu.machine.utilisation).toBe(0.5);
    expect(cpu.otherSeconds).toBe(10 - 6 - 2.5);
    expect(cpu.ceilingPerSecond).toBeCloseTo(2000 / 6);
  });

  it('derives the ceiling as cores × 1000 ÷ ms per order, 0 when nothing was measured', () => {
    expect(cpuCeiling(2, 16)).toBe(125);
    expect(cpuCeiling(4, 8)).toBe(500);
    expect(cpuCeiling(2, 0)).toBe(0);
  });

  it('measures a busy child tree of a run process on the real /proc', async () => {
    // The grandchild burns 0.4 s of CPU (not of wall time: the machine may be busy with other
    // tests), says so with a file, and exits; the shell lives on.
    const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cpu-')), 'done');
    const burn = `while (process.cpuUsage().user < 400000); require('node:fs').writeFileSync('${marker}', '')`;
    const child = spawn('sh', ['-c', `${process.execPath} -e "${burn}" ; sleep 30`], { stdio: 'ignore' });
    try {
      const sampling = startCpuSampling([{ name: 'busy', pid: child.pid ?? 0, match: 'sh' }]);
      const deadline = Date.now() + 20_000;
      while (!fs.existsSync(marker) && Date.now() < deadline) await sleep(50);
      // Reaped by the shell: its CPU moves into the shell's cutime.
      await sleep(300);
      const cpu = sampling.stop(10);
      // The node grandchild burned 0.4 s and exited: it shows up through the shell's cutime.
      const busy = cpu.components.find((c) => c.name === 'busy');
      expect(busy?.seconds).toBeGreaterThan(0.3);
      expect(busy?.msPerOrder).toBeCloseTo(((busy?.seconds ?? 0) * 1000) / 10);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
