import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSuite } from '../src/runner/runSuite.ts';
import { idleLinkFault } from './support/idleLinkFault.ts';

describe('chaos runner with systems side by side', () => {
  it('deals the scenarios to two systems, keeps their order in the journal and prints each as one block', async () => {
    // Scenarios without time bounds (their fault meets no traffic): the test stage keeps the CPU
    // busy, and what is under test here is the dealing, not an oracle.
    const ids = ['idle-link-a', 'idle-link-b', 'idle-link-c'];
    const reportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chaos-parallel-'));
    const lines: string[] = [];
    const result = await runSuite({
      scenarios: [],
      definitions: ids.map((id) => ({ ...idleLinkFault, id })),
      profile: 'ci',
      repeat: 1,
      seed: 7,
      attach: false,
      reportsDir,
      parallel: 2,
      log: (line) => lines.push(line),
    });
    expect(result.journal.options.parallel).toBe(2);
    expect(result.journal.runs.map((run) => [run.id, run.status])).toEqual(ids.map((id) => [id, 'vacuous']));
    // Each scenario's output is one block, from its first line to its verdict (not interleaved).
    const blocks = lines.filter((line) => line.startsWith('▶ '));
    expect(blocks).toHaveLength(3);
    for (const block of blocks) expect(block).toMatch(/\(system [12]\)\n[\s\S]*\n {2}VACUOUS in /);
    expect(new Set(blocks.map((block) => /\(system ([12])\)/.exec(block)?.[1]))).toEqual(new Set(['1', '2']));
    expect(lines.filter((line) => /^\[[12]\] system started in /.test(line))).toHaveLength(2);
    for (const system of ['system-1', 'system-2'])
      expect(fs.readdirSync(path.join(result.reportDir, 'logs', system)).length).toBeGreaterThan(0);
    fs.rmSync(reportsDir, { recursive: true, force: true });
  }, 300_000);
});
