import { describe, expect, it } from 'vitest';
import { blackBoxRetryOracle } from '../../src/oracles/blackbox/blackBoxRetryOracle.ts';
import type { RetryPromise } from '../../src/oracles/blackbox/LinkResilience.ts';
import type { OracleResult } from '../../src/oracles/OracleResult.ts';
import { retryCaller, type RetryBehaviour } from './retryCaller.ts';
import { answer, attempt, detailOf, failedChecks, LINK, type Wire } from './wire.ts';

/** The promise: 3 attempts, backoff ceilings 40 → 80 ms, full jitter. */
const promise: RetryPromise = { attempts: 3, initialDelayMs: 40, maxDelayMs: 200 };
const fault = { startMs: 0, endMs: 5_000 };
/** 10 serial calls; the dependency fails the first two attempts of each. */
const workload = { calls: 10, everyMs: 400, attemptMs: 10, fault, failFirst: 2 };

const judge = (wire: Wire, retry: RetryPromise = promise): OracleResult =>
  blackBoxRetryOracle({ link: LINK, ...wire, promise: { retry }, fault, toleranceMs: 20 });

const caller = (overrides: Partial<RetryBehaviour> = {}, failFirst = 2): Wire =>
  retryCaller({ ...promise, ...overrides }, { ...workload, failFirst });

describe('black-box retry oracle', () => {
  it('passes keyed calls retried with full-jitter exponential backoff within their attempts', () => {
    const result = judge(caller());
    expect(failedChecks(result)).toEqual([]);
    expect(result.checks.map((c) => c.name)).toEqual([
      'call-grouping',
      'retries-observed',
      'attempts-bounded',
      'backoff-within-envelope',
      'no-tight-loop',
      'retry-jitter',
      'unkeyed-post-retried',
    ]);
    expect(detailOf(result, 'call-grouping')).toContain('10 calls: 10 by Idempotency-Key');
  });

  it('passes unkeyed calls grouped by trace-id although each attempt has its own parent-id', () => {
    const result = judge(caller({ keyed: false, traced: true }));
    expect(failedChecks(result)).toEqual([]);
    expect(detailOf(result, 'call-grouping')).toContain('10 by trace-id');
  });

  it('passes unkeyed, untraced calls of a serial workload, grouped by answer window', () => {
    const result = judge(caller({ keyed: false }));
    expect(failedChecks(result)).toEqual([]);
    expect(detailOf(result, 'call-grouping')).toContain('10 by answer window');
  });

  it('passes a POST without a key that is not retried, beside keyed POSTs that are', () => {
    const keyed = caller({ method: 'POST' });
    const unkeyed = retryCaller({ ...promise, method: 'POST', keyed: false }, { ...workload, calls: 1 });
    const later = (wire: Wire): Wire => ({
      requests: wire.requests.map((r) => ({ ...r, startMs: r.startMs + 10_000, endMs: r.endMs + 10_000 })),
      answers: wire.answers.map((a) => ({ ...a, startMs: a.startMs + 10_000, endMs: a.endMs + 10_000 })),
    });
    const both = later(unkeyed);
    const result = judge({
      requests: [...keyed.requests, ...both.requests],
      answers: [...keyed.answers, ...both.answers],
    });
    expect(failedChecks(result)).toEqual([]);
    expect(detailOf(result, 'unkeyed-post-retried')).toBe(
      '1 POST/PATCH call(s) without an Idempotency-Key, none sent twice',
    );
  });

  it('keeps a later re-drive of the same key (a recovery loop) apart from the call that first used it', () => {
    const wire = caller({ method: 'POST' });
    // Each key is driven again 3 times, 1 ms after its call was answered, inside the next call's
    // window and in the gap after it: more attempts per key than promised, but not per call.
    const redrives = wire.answers.flatMap((a, index) =>
      [0, 1, 2].map((n) =>
        attempt(a.endMs + 1 + n * 15, 10, {
          method: 'POST',
          status: 503,
          idempotencyKey: wire.requests.find((r) => r.startMs >= a.startMs && r.startMs <= a.endMs)?.idempotencyKey,
          path: `/charges`,
          traceparent: `00-${String(index).padStart(32, '0')}-${'0'.repeat(16)}-01`,
        }),
      ),
    );
    const result = judge({ requests: [...wire.requests, ...redrives], answers: wire.answers });
    expect(failedChecks(result)).not.toContain('attempts-bounded');
  });

  it('does not take background re-drives of a key between answers for retries (retries off still fails on retries-observed)', () => {
    const wire = caller({ attempts: 1 });
    // After each answer a recovery loop drives the key again twice, 5 ms apart, before the next call.
    const redrives = wire.answers.flatMap((a) =>
      [1, 6].map((offset) =>
        attempt(a.endMs + offset, 1, {
          method: 'POST',
          status: 503,
          idempotencyKey: wire.requests.find((r) => r.startMs >= a.startMs && r.startMs <= a.endMs)?.idempotencyKey,
          path: '/charges',
        }),
      ),
    );
    const result = judge({ requests: [...wire.requests, ...redrives], answers: wire.answers });
    expect(failedChecks(result)).toEqual(['retries-observed']);
  });

  it('accepts waits of exactly the ceiling when the promise says jitter: false', () => {
    const fixed = caller({ wait: (ceiling) => ceiling });
    expect(failedChecks(judge(fixed, { ...promise, jitter: false }))).toEqual([]);
  });

  it('fails naming retries-observed when retries are switched off', () => {
    const result = judge(caller({ attempts: 1 }));
    expect(failedChecks(result)).toEqual(['retries-observed']);
    expect(detailOf(result, 'retries-observed')).toBe('0 retries over 10 calls (at least 3 needed)');
  });

  it('fails naming retry-jitter when every retry waits exactly its ceiling', () => {
    const result = judge(caller({ wait: (ceiling) => ceiling }));
    expect(failedChecks(result)).toEqual(['retry-jitter']);
    expect(detailOf(result, 'retry-jitter')).toContain('retry 1: 10 waits 40–40 ms (spread 0, needed > 5)');
  });

  it('fails naming no-tight-loop when retries follow the failure at once (too fast)', () => {
    const result = judge(caller({ wait: (_, random) => Math.round(2 * random()) }));
    expect(failedChecks(result)).toEqual(['no-tight-loop', 'retry-jitter']);
  });

  it('fails naming attempts-bounded when a call makes more attempts than promised', () => {
    const result = judge(caller({ attempts: 5 }, 4));
    expect(failedChecks(result)).toEqual(['attempts-bounded']);
    expect(detailOf(result, 'attempts-bounded')).toContain('most attempts of one call 5 (promise 3)');
  });

  it('fails naming backoff-within-envelope when retries wait longer than their ceiling', () => {
    expect(failedChecks(judge(caller({ wait: (ceiling, random) => Math.round(ceiling * (2 + random())) })))).toEqual([
      'backoff-within-envelope',
    ]);
  });

  it('fails naming unkeyed-post-retried when a POST without Idempotency-Key reaches the dependency twice', () => {
    const result = judge(caller({ method: 'POST', keyed: false, retriesUnkeyed: true }));
    expect(failedChecks(result)).toEqual(['unkeyed-post-retried']);
    expect(detailOf(result, 'unkeyed-post-retried')).toContain('e.g. POST /charges 3 times');
  });

  it('lets a gRPC call (a POST on the wire) be retried without a key when its proto marks the method idempotent', () => {
    const unkeyed = caller({ method: 'POST', keyed: false, retriesUnkeyed: true });
    const marked = (idempotentByContract: boolean): Wire => ({
      ...unkeyed,
      requests: unkeyed.requests.map((request) => ({ ...request, idempotentByContract })),
    });
    expect(failedChecks(judge(marked(true)))).toEqual([]);
    expect(detailOf(judge(marked(true)), 'unkeyed-post-retried')).toContain(
      '10 gRPC call(s) of methods their proto marks idempotent left out',
    );
    expect(failedChecks(judge(marked(false)))).toEqual(['unkeyed-post-retried']);
  });

  it('fails naming call-grouping when unkeyed, untraced attempts come from overlapping calls', () => {
    const wire: Wire = {
      requests: [attempt(0, 10, { status: 503 }), attempt(5, 10, { status: 503 }), attempt(40, 10), attempt(45, 10)],
      answers: [answer(0, 60, 200), answer(5, 60, 200)],
    };
    const result = judge(wire);
    expect(failedChecks(result)).toContain('call-grouping');
    expect(detailOf(result, 'call-grouping')).toMatch(
      /^4 request\(s\) carry neither an Idempotency-Key nor a traceparent/,
    );
  });
});
