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

// mutate (mutants side by side) and explore (systems side by side) take --parallel as chaos does.
describe.each(['mutate', 'explore'])('harness %s --parallel', (command) => {
  it('refuses a number side by side outside 1..8, before anything starts', async () => {
    for (const value of ['0', '9', '1.5', 'two']) {
      const result = await harness([command, '--parallel', value]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`--parallel must be an integer in 1..8, got "${value}"`);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
