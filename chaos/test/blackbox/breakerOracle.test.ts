import { describe, expect, it } from 'vitest';
import { blackBoxBreakerOracle } from '../../src/oracles/blackbox/blackBoxBreakerOracle.ts';
import type { OracleResult } from '../../src/oracles/OracleResult.ts';
import { breakerCaller, type BreakerBehaviour } from './breakerCaller.ts';
import { answer, attempt, detailOf, failedChecks, LINK, type Wire } from './wire.ts';

/** The promise: open after 3 consecutive failed attempts, probe after 300 ms; 200 ms per attempt. */
const promise = { timeoutMs: 200, breaker: { threshold: 3, halfOpenAfterMs: 300 } };
const fault = { startMs: 100, endMs: 1_100 };
/** A call every 20 ms for 2 s; the dependency answers in 10 ms (503 during the fault). */
const workload = { calls: 100, everyMs: 20, attemptMs: 10, fault };

const judge = (wire: Wire, window = fault): OracleResult =>
  blackBoxBreakerOracle({ link: LINK, ...wire, promise, fault: window, toleranceMs: 20 });

const caller = (overrides: Partial<BreakerBehaviour> = {}): Wire =>
  breakerCaller({ ...promise.breaker, ...overrides }, workload);

describe('black-box breaker oracle', () => {
  it('passes a caller that opens at its threshold, answers fast while open, probes once and recovers', () => {
    const result = judge(caller());
    expect(failedChecks(result)).toEqual([]);
    expect(result.checks.map((c) => c.name)).toEqual([
      'breaker-engaged',
      'opens-at-threshold',
      'answers-fast-while-open',
      'half-open-after-delay',
      'single-probe',
      'flows-again',
    ]);
    expect(detailOf(result, 'half-open-after-delay')).toContain('probe(s) 310, 310, 310 ms');
  });

  it('tolerates attempts already in flight when the threshold-th failure came back', () => {
    const inFlight = [0, 1, 2, 3, 4].map((n) => attempt(100 + n, 50, { status: 503 }));
    const wire: Wire = {
      requests: [attempt(50, 10), ...inFlight, attempt(460, 10)],
      answers: [
        answer(50, 11, 200),
        ...inFlight.map((r) => answer(r.startMs, 51, 503)),
        ...[200, 250, 300, 350, 400].map((at) => answer(at, 1, 503)),
        answer(458, 13, 200),
      ],
    };
    const result = judge(wire, { startMs: 100, endMs: 450 });
    expect(failedChecks(result)).toEqual([]);
    expect(detailOf(result, 'opens-at-threshold')).toContain(
      '5 (2 already in flight when failure #3 came back, 0 sent after it)',
    );
  });

  it('fails naming breaker-engaged when calls keep reaching the dependency during the fault', () => {
    const result = judge(caller({ breaker: false }));
    expect(failedChecks(result)).toEqual(['breaker-engaged']);
    expect(detailOf(result, 'breaker-engaged')).toContain(
      '50 attempts reached the dependency during the 1000 ms fault',
    );
  });

  it('fails naming opens-at-threshold when more than threshold failed attempts reach the dependency', () => {
    const result = judge(caller({ threshold: 6 }));
    expect(failedChecks(result)).toEqual(['opens-at-threshold']);
    expect(detailOf(result, 'opens-at-threshold')).toContain('2 sent after it');
  });

  it('fails naming opens-at-threshold when the breaker opens before the threshold', () => {
    expect(failedChecks(judge(caller({ threshold: 1 })))).toEqual(['opens-at-threshold']);
  });

  it('fails naming single-probe when several probes reach the dependency at once (half-open burst)', () => {
    const result = judge(caller({ probes: 3 }));
    expect(failedChecks(result)).toEqual(['single-probe']);
    expect(detailOf(result, 'single-probe')).toContain('per probe: 3, 3, 3');
  });

  it('fails naming half-open-after-delay when the probe comes before halfOpenAfterMs', () => {
    expect(failedChecks(judge(caller({ halfOpenAfterMs: 100 })))).toEqual(['half-open-after-delay']);
  });

  it('fails naming answers-fast-while-open when the open breaker holds calls before refusing them', () => {
    const result = judge(caller({ openAnswerMs: 250 }));
    expect(failedChecks(result)).toEqual(['answers-fast-while-open']);
    expect(detailOf(result, 'answers-fast-while-open')).toContain('slowest 250 ms (bound 100 ms');
  });

  it('fails naming answers-fast-while-open when the open breaker answers 2xx', () => {
    expect(failedChecks(judge(caller({ openStatus: 200 })))).toEqual(['answers-fast-while-open']);
  });

  describe('with a fallback promised (the caller answers without the dependency while open)', () => {
    const withFallback = (wire: Wire): OracleResult =>
      blackBoxBreakerOracle({
        link: LINK,
        ...wire,
        promise: { ...promise, breaker: { ...promise.breaker, fallback: true } },
        fault,
        toleranceMs: 20,
      });

    it('passes a fast 2xx fallback', () => {
      const result = withFallback(caller({ openStatus: 200 }));
      expect(failedChecks(result)).toEqual([]);
      expect(detailOf(result, 'answers-fast-while-open')).toContain('fallback promised');
    });

    it('still fails naming answers-fast-while-open when the fallback is slow', () => {
      expect(failedChecks(withFallback(caller({ openStatus: 200, openAnswerMs: 250 })))).toEqual([
        'answers-fast-while-open',
      ]);
    });

    it('still fails naming breaker-engaged when there is no breaker at all', () => {
      expect(failedChecks(withFallback(caller({ breaker: false })))).toEqual(['breaker-engaged']);
    });
  });

  it('fails naming flows-again when the breaker never lets a call through after the fault', () => {
    expect(failedChecks(judge(caller({ halfOpenAfterMs: 60_000 })))).toEqual(['flows-again']);
  });

  it('does not blame the breaker for a late first success when nothing asked the caller in between', () => {
    // The workload stops with the fault; one call 2 s later goes straight through.
    const during = caller();
    const wire: Wire = {
      requests: [...during.requests.filter((r) => r.startMs < fault.endMs), attempt(3_100, 10)],
      answers: [...during.answers.filter((a) => a.startMs < fault.endMs), answer(3_100, 11, 200)],
    };
    const result = judge(wire);
    expect(failedChecks(result)).toEqual([]);
    expect(detailOf(result, 'flows-again')).toContain('first successful attempt 2000 ms after the fault ended');
    expect(detailOf(result, 'flows-again')).toContain('0 calls answered without success after the bound');
    // Calls refused after the bound, before that success: the breaker kept them out.
    const refused: Wire = {
      requests: wire.requests,
      answers: [...wire.answers, answer(2_000, 1, 503), answer(2_500, 1, 503)],
    };
    expect(failedChecks(judge(refused))).toEqual(['flows-again']);
  });

  it('does not judge a fault that caused fewer consecutive failures than the threshold (nothing could open)', () => {
    // A slow serial caller: two failed attempts during the fault, then successes.
    const wire: Wire = {
      requests: [attempt(150, 200, { status: 503 }), attempt(400, 200, { status: 503 }), attempt(650, 10)],
      answers: [answer(150, 201, 503), answer(400, 201, 503), answer(650, 11, 200)],
    };
    const result = judge(wire);
    expect(failedChecks(result)).toEqual([]);
    expect(detailOf(result, 'breaker-engaged')).toMatch(
      /^not judged: at most 2 consecutive failed attempts .* fewer than the threshold 3/,
    );
    // Three in a row reach the threshold: a caller that still never stops is judged, and fails.
    const three: Wire = {
      requests: [0, 1, 2, 3].map((n) => attempt(150 + n * 210, 200, { status: 503 })),
      answers: [0, 1, 2, 3].map((n) => answer(150 + n * 210, 201, 503)),
    };
    expect(failedChecks(judge(three))).toContain('breaker-engaged');
  });
});
