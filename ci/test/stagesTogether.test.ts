import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runTogether } from '../src/stages.ts';

const node = (code: string): string[] => [process.execPath, '-e', code];

// Writes its own marker, then waits for the other's (exit 9 after 10 s): only commands that run at
// the same time both get past the wait.
const meetThen = (dir: string, own: string, other: string, then: string): string[] =>
  node(
    `const fs = require('node:fs'); fs.writeFileSync(${JSON.stringify(path.join(dir, own))}, '');` +
      `const until = Date.now() + 10000; const wait = () => fs.existsSync(${JSON.stringify(path.join(dir, other))})` +
      ` ? (${then})() : Date.now() > until ? process.exit(9) : setTimeout(wait, 20); wait();`,
  );

describe('a stage whose commands run side by side', () => {
  it('runs them at the same time, prints each one whole, and fails when one fails', async () => {
    const written: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void written.push(`${line}\n`));
    try {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'together-'));
      const code = await runTogether([
        // Each writes in two parts with a pause between: printed whole, the parts stay together.
        meetThen(
          dir,
          'a',
          'b',
          "() => { process.stdout.write('slow-1 '); setTimeout(() => console.log('slow-2'), 600); }",
        ),
        meetThen(
          dir,
          'b',
          'a',
          "() => { process.stderr.write('fails-1 '); setTimeout(() => { console.log('fails-2'); process.exit(3); }, 300); }",
        ),
      ]);
      fs.rmSync(dir, { recursive: true, force: true });
      // 3, not 9: both got past the wait, so they ran at the same time.
      expect(code).toBe(3);
      const text = written.join('');
      expect(text).toContain('slow-1 slow-2');
      expect(text).toContain('fails-1 fails-2');
      expect(text).toMatch(/exit 3/);
    } finally {
      write.mockRestore();
      log.mockRestore();
    }
  });

  it('passes when every command passes', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await runTogether([node('0'), node("console.log('ok')")])).toBe(0);
      expect(await runTogether([['a-command-that-does-not-exist-here']])).toBe(127);
    } finally {
      write.mockRestore();
      log.mockRestore();
    }
  });
});
