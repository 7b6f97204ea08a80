import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep } from '@harness/runtime';
import { memoryOf, processTree, runMemory, systemRssKb, type RunMemory } from '../src/load/processMemory.ts';

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.pid) process.kill(-child.pid, 'SIGKILL');
});

/** A process group: a shell that starts a grandchild holding ~50 MB, and then waits. */
async function startTree(): Promise<ChildProcess> {
  const child = spawn(
    'sh',
    ['-c', `${process.execPath} -e "const b=Buffer.alloc(50*1024*1024,1); setTimeout(()=>b.length, 60000)" & wait`],
    { detached: true, stdio: 'ignore' },
  );
  started.push(child);
  await sleep(800);
  return child;
}

describe('run memory (RSS of every process of the run)', () => {
  it('counts the descendants of each process of the run', async () => {
    const child = await startTree();
    const pid = child.pid ?? 0;
    const tree = processTree(pid);
    expect(tree).toContain(pid);
    expect(tree.length).toBeGreaterThanOrEqual(2);
    const memory = runMemory([{ name: 'tree', pid, match: 'sh' }]);
    expect(memory.processCount).toBe(tree.length);
    expect(memory.byName.tree?.processes).toBe(tree.length);
    // The grandchild's 50 MB buffer is counted, not only the shell's own few kB.
    expect(memory.rssKb).toBeGreaterThan(memoryOf(pid).rssKb + 40 * 1024);
    expect(memory.pssKb).toBeGreaterThan(0);
  });

  it('ignores a process whose command line does not match (a reused pid is not the run)', async () => {
    const child = await startTree();
    const memory = runMemory([{ name: 'other', pid: child.pid ?? 0, match: 'postgres' }]);
    expect(memory.processCount).toBe(0);
    expect(memory.rssKb).toBe(0);
  });
});

describe('system memory (the target figure)', () => {
  it('leaves the storefront dev server out and keeps everything else', () => {
    const entry = (rssKb: number) => ({ rssKb, pssKb: rssKb / 2, processes: 1 });
    const memory: RunMemory = {
      rssKb: 1_000 + 200 + 300,
      pssKb: 750,
      processCount: 3,
      byName: { postgresql: entry(1_000), order: entry(200), storefront: entry(300) },
    };
    expect(systemRssKb(memory)).toBe(1_200);
    expect(systemRssKb({ ...memory, rssKb: 1_200, byName: { postgresql: entry(1_000), order: entry(200) } })).toBe(
      1_200,
    );
  });
});
