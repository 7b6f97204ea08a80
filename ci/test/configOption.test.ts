import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { harness } from './cliHelpers.ts';

const stateDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'harness-state-'));

describe('--config on every command', () => {
  it('names a --config file that does not exist, and exits 1 before anything starts', async () => {
    const result = await harness(['--config', 'nope/harness.config.ts', 'up'], { HARNESS_STATE_DIR: stateDir() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/harness up: --config nope\/harness\.config\.ts: no such file/);
  });

  it('refuses an invalid config with the file, the field and what was expected; no stack trace, nothing started', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-bad-config-'));
    const file = path.join(dir, 'harness.config.ts');
    fs.writeFileSync(
      file,
      `export default { name: 'bad', services: { a: { command: 'a-server' } }, links: [{ id: 'X1', kind: 'http', from: 'a', to: 'ghost', contract: { openapi: 'missing.yaml' } }] };\n`,
    );
    const state = stateDir();
    const result = await harness(['up', '--config', file], { HARNESS_STATE_DIR: state });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/links\[0\]\.to: unknown service "ghost" \(services: a\)/);
    expect(result.stderr).toMatch(/links\[0\]\.contract\.openapi: no such file: .*missing\.yaml/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(fs.existsSync(path.join(state, 'run.json'))).toBe(false);
  });

  it('takes the config from HARNESS_CONFIG too, and doctor validates it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-bad-config-'));
    const file = path.join(dir, 'harness.config.ts');
    fs.writeFileSync(file, `export default { name: 'bad', services: { a: { comand: 'a-server' } } };\n`);
    const result = await harness(['doctor'], { HARNESS_CONFIG: file });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/MISS config\s+.*services\.a\.comand: unknown field/s);
  });
});
