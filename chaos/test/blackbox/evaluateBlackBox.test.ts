import { describe, expect, it } from 'vitest';
import { evaluateBlackBox } from '../../src/oracles/blackbox/evaluateBlackBox.ts';
import type { LinkResilience } from '../../src/oracles/blackbox/LinkResilience.ts';
import { LINK } from './wire.ts';

const promise: LinkResilience = {
  timeoutMs: 200,
  retry: { attempts: 3, initialDelayMs: 40, maxDelayMs: 200 },
  breaker: { threshold: 3, halfOpenAfterMs: 300 },
};
const input = { link: LINK, requests: [], answers: [], fault: { startMs: 0, endMs: 100 }, toleranceMs: 20 };

describe('evaluateBlackBox', () => {
  it('runs the oracle of every promise the link sets, and no other', () => {
    expect(evaluateBlackBox({ ...input, promise }).map((r) => r.oracle)).toEqual([
      'black-box breaker L5',
      'black-box retry L5',
      'black-box timeout L5',
    ]);
  });

  it('runs only the oracles named in `only`', () => {
    expect(evaluateBlackBox({ ...input, promise, only: ['timeout', 'bulkhead'] }).map((r) => r.oracle)).toEqual([
      'black-box timeout L5',
    ]);
  });
});
