import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config/ConfigError.ts';
import { jitteredBackoffMs } from '../src/resilience/backoff.ts';
import { announceMutants, mutantActive, mutantNames, parseMutants, resetMutantsForTests } from '../src/mutants.ts';
import { runUntilSignal, type ProcessHooks } from '../src/startup/runUntilSignal.ts';
import { capturedLogger } from './support/logCapture.ts';

const byHarness = { HARNESS_STARTED_BY: 'harness' };

afterEach(() => resetMutantsForTests());

describe('parseMutants', () => {
  it('is off by default', () => {
    expect(parseMutants({})).toEqual({ active: new Set(), ignored: [] });
    expect(parseMutants({ ...byHarness, HARNESS_MUTANTS: ' , ' })).toEqual({ active: new Set(), ignored: [] });
  });

  it('honours known names in a process the harness started', () => {
    const switches = parseMutants({ ...byHarness, HARNESS_MUTANTS: 'outbox-bypassed, retry-jitter-off' });
    expect([...switches.active]).toEqual(['outbox-bypassed', 'retry-jitter-off']);
    expect(switches.ignored).toEqual([]);
  });

  it('ignores known names when the harness did not start the process', () => {
    for (const startedBy of [undefined, '', 'someone-else', 'HARNESS']) {
      const switches = parseMutants({ HARNESS_STARTED_BY: startedBy, HARNESS_MUTANTS: 'consumer-dedupe-off' });
      expect(switches.active.size).toBe(0);
      expect(switches.ignored).toEqual(['consumer-dedupe-off']);
    }
  });

  it('refuses an unknown name, naming the variable and the allowed names (harness or not)', () => {
    for (const env of [{ ...byHarness }, {}]) {
      let error: unknown;
      try {
        parseMutants({ ...env, HARNESS_MUTANTS: 'outbox-bypassed,breaker-of' });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        {
          variable: 'HARNESS_MUTANTS',
          message: `names unknown mutant(s) "breaker-of"; allowed: ${mutantNames.join(', ')}`,
        },
      ]);
    }
  });
});

describe('announceMutants and mutantActive', () => {
  it('logs a warning naming each mutant in force, which mutantActive then reports', () => {
    const { logger, lines } = capturedLogger('svc');
    announceMutants(logger, { ...byHarness, HARNESS_MUTANTS: 'recovery-worker-off' });
    expect(lines).toMatchObject([
      { level: 40, mutant: 'recovery-worker-off', msg: expect.stringMatching(/MUTANT ACTIVE: recovery-worker-off/) },
    ]);
    expect(mutantActive('recovery-worker-off')).toBe(true);
    expect(mutantActive('outbox-bypassed')).toBe(false);
  });

  it('warns that the switch is ignored outside the harness, and nothing is in force', () => {
    const { logger, lines } = capturedLogger('svc');
    announceMutants(logger, { HARNESS_MUTANTS: 'retry-jitter-off' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 40,
      msg: expect.stringMatching(/^HARNESS_MUTANTS IGNORED: .*not started by the harness/),
    });
    expect(mutantActive('retry-jitter-off')).toBe(false);
    expect(
      jitteredBackoffMs(1, { initialDelayMs: 100, maxDelayMs: 1_000, maxAttempts: 3, maxRetryAfterMs: 0 }, () => 0),
    ).toBe(50);
  });

  it('retry-jitter-off makes every backoff wait its full ceiling', () => {
    const { logger } = capturedLogger('svc');
    announceMutants(logger, { ...byHarness, HARNESS_MUTANTS: 'retry-jitter-off' });
    const settings = { initialDelayMs: 100, maxDelayMs: 1_000, maxAttempts: 3, maxRetryAfterMs: 0 };
    expect(jitteredBackoffMs(1, settings, () => 0)).toBe(100);
    expect(jitteredBackoffMs(2, settings, () => 0.3)).toBe(200);
  });

  it('mutantActive is false when nothing set it (the default)', () => {
    expect(mutantActive('compensation-skipped')).toBe(false);
  });
});

describe('runUntilSignal with HARNESS_MUTANTS', () => {
  it('refuses to start with an unknown mutant name: "startup failed" naming the variable, exit 1', async () => {
    const { logger, lines } = capturedLogger('svc');
    const emitter = new EventEmitter();
    const exits: number[] = [];
    const hooks: ProcessHooks = {
      on: (signal, listener) => emitter.on(signal, listener),
      exit: (code) => void exits.push(code),
    };
    const calls: string[] = [];
    const service = {
      start: async () => void calls.push('start'),
      stop: async () => void calls.push('stop'),
    };
    await runUntilSignal(service, logger, { process: hooks, env: { ...byHarness, HARNESS_MUTANTS: 'nope' } });
    expect(calls).toEqual(['stop']);
    expect(exits).toEqual([1]);
    const failed = lines.find((line) => line.msg === 'startup failed');
    expect(JSON.stringify(failed)).toMatch(
      /HARNESS_MUTANTS names unknown mutant\(s\) \\"nope\\"; allowed: idempotency-store-bypassed/,
    );
  });
});
