import { describe, expect, it } from 'vitest';
import { harness } from './cliHelpers.ts';

describe('harness chaos --parallel', () => {
  it('refuses a number of systems outside 1..8, before anything starts', async () => {
    for (const value of ['0', '9', 'two']) {
      const result = await harness(['chaos', '--parallel', value]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`--parallel must be an integer in 1..8, got "${value}"`);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('refuses --parallel with --attach: there is one running system', async () => {
    const result = await harness(['chaos', '--parallel', '2', '--attach']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--parallel needs systems of its own: --attach uses the one running system');
  });
});

describe('harness mutate --parallel', () => {
  it('refuses a number of mutants side by side outside 1..8, before anything starts', async () => {
    for (const value of ['0', '9', '1.5']) {
      const result = await harness(['mutate', '--parallel', value]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`--parallel must be an integer in 1..8, got "${value}"`);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('harness explore --parallel', () => {
  it('refuses a number of systems side by side outside 1..8, before anything starts', async () => {
    for (const value of ['0', '9', 'two']) {
      const result = await harness(['explore', '--parallel', value]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`--parallel must be an integer in 1..8, got "${value}"`);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
