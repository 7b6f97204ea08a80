import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { harness } from './cliHelpers.ts';

/** An environment where the tool cache is empty and PATH holds only the system's directories. */
function bareEnv(): NodeJS.ProcessEnv {
  return { HARNESS_TOOLS_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'harness-empty-tools-')), PATH: '/usr/bin:/bin' };
}

describe('harness doctor', () => {
  it('reports every tool as present on a set-up machine and exits 0', async () => {
    const result = await harness(['doctor']);
    expect(result.stdout).toMatch(/ok\s+toxiproxy-server\s+v2\.12\.0/);
    expect(result.stdout).toMatch(/ok\s+k6\s+v1\.8\.1/);
    expect(result.stdout).toMatch(/ok\s+jaeger\s+v1\.75\.0/);
    expect(result.code).toBe(0);
  });

  it('reports a missing tool with the exact command that installs it and exits non-zero', async () => {
    const result = await harness(['doctor'], bareEnv());
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/MISS\s+toxiproxy-server\s+not found/);
    expect(result.stdout).toContain('go install github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0');
    expect(result.stdout).toMatch(/MISS\s+k6\s+not found/);
    expect(result.stdout).toMatch(/MISS\s+jaeger\s+not found/);
    expect(result.stdout).toContain('bash ci/setup-jaeger.sh');
    expect(result.stderr).toMatch(/required check\(s\) failed: .*toxiproxy-server/);
  });

  it('prints machine-readable results with --json', async () => {
    const result = await harness(['doctor', '--json'], bareEnv());
    const checks = JSON.parse(result.stdout) as Array<{ name: string; problem?: string; install: string }>;
    expect(checks.find((c) => c.name === 'k6')?.problem).toBe('not found');
    expect(checks.find((c) => c.name === 'postgres')?.problem).toBeUndefined();
  });
});

describe('harness CLI input', () => {
  it('rejects an unknown command with usage and exit code 2', async () => {
    const result = await harness(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
  });

  it('rejects an unknown option with the usage line', async () => {
    const result = await harness(['status', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Unknown option '--bogus'[\s\S]*usage: harness status/);
  });
});
