import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const processModule = path.resolve(import.meta.dirname, '../src/process.ts');

describe('ManagedProcess.stop', () => {
  it('leaves no timer behind once the process is gone, so whoever stopped it can exit at once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'managed-process-'));
    // The child stops a `sleep` with a 60 s grace; `sleep` ends at SIGTERM, so stop() returns at
    // once. A grace timer left pending would keep the child alive for the rest of the 60 s (the
    // `harness up` supervisor lingered 9 s after `harness down` this way) and the run below times out.
    const script = [
      `import { ManagedProcess } from ${JSON.stringify(processModule)};`,
      `const proc = new ManagedProcess({ name: 'sleeper', command: 'sleep', args: ['60'], logFile: ${JSON.stringify(path.join(dir, 'sleeper.log'))} });`,
      `await proc.stop(60_000);`,
      `console.log(JSON.stringify({ signal: proc.exitSignal, resources: process.getActiveResourcesInfo() }));`,
    ].join('\n');
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { timeout: 30_000 });
    const report = JSON.parse(stdout.trim()) as { signal: string; resources: string[] };
    expect(report.signal).toBe('SIGTERM');
    expect(report.resources).not.toContain('Timeout');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
