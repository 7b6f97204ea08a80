import { describe, expect, it } from 'vitest';
import { retryJitter } from '../../src/oracles/blackbox/retryPacing.ts';
import type { Call } from '../../src/oracles/blackbox/groupCalls.ts';
import type { RetryWait } from '../../src/oracles/blackbox/retryWaits.ts';

const call = {} as Call;
/** Waits at one retry index, ceiling 100 ms (needed spread: more than 5 ms). */
const at = (retry: number, ...waitsMs: number[]): RetryWait[] =>
  waitsMs.map((waitMs) => ({ call, retry, waitMs, ceilingMs: 100, retryAfterMs: undefined }));

describe('retry-jitter (black box)', () => {
  it('does not fail on 4 tight waits at one retry, which equal jitter draws by chance (the CI flake)', () => {
    const result = retryJitter(at(1, 69, 71, 72, 73));
    expect(result.passed).toBe(true);
    expect(result.detail).toContain('retry 1: 4 waits 69–73 ms (spread 4, needed > 5)');
    expect(result.detail).toContain('not judged: 4 tight waits could be jitter by chance (5 needed)');
  });

  it('fails on 5 tight waits at one retry', () => {
    expect(retryJitter(at(1, 70, 70, 71, 70, 72)).passed).toBe(false);
  });

  it('fails when every judged retry is tight and they hold 5 waits or more together', () => {
    const result = retryJitter([...at(1, 50, 50, 50), ...at(2, 100, 100, 100)]);
    expect(result.passed).toBe(false);
    expect(result.detail).toBe(
      'retry 1: 3 waits 50–50 ms (spread 0, needed > 5); retry 2: 3 waits 100–100 ms (spread 0, needed > 5)',
    );
  });

  it('passes a few tight waits at one retry when another retry shows the jitter', () => {
    expect(retryJitter([...at(1, 70, 72, 73, 71), ...at(2, 55, 90, 62)]).passed).toBe(true);
  });

  it('fails on 6 tight waits at one retry even when another retry spreads', () => {
    expect(retryJitter([...at(1, 70, 70, 70, 70, 70, 70), ...at(2, 55, 90, 62)]).passed).toBe(false);
  });

  it('does not judge fewer than 3 waits at any retry', () => {
    expect(retryJitter(at(1, 70, 70)).detail).toBe('not judged: fewer than 3 paced waits at any one retry');
  });
});
