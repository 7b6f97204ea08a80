import { describe, expect, it } from 'vitest';
import { createMetrics } from '../src/observability/metrics.ts';
import { backoffCeilingMs } from '../src/resilience/backoff.ts';
import { createResiliencePolicy } from '../src/resilience/createResiliencePolicy.ts';
import {
  DependencyNetworkError,
  DependencyStatusError,
  DependencyUnavailableError,
} from '../src/resilience/dependencyFailures.ts';
import { ResilienceEventLog } from '../src/resilience/ResilienceEventLog.ts';
import type { ResilienceSettingsInput } from '../src/resilience/resilienceSettings.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const networkFailure = () => Promise.reject(new DependencyNetworkError('stock', new Error('ECONNREFUSED')));
const unavailableStatus = (retryAfterMs?: number) =>
  new DependencyStatusError('stock', new Response(null, { status: 503 }), retryAfterMs);

function setup(settings: ResilienceSettingsInput, random?: () => number) {
  const events = new ResilienceEventLog();
  const metrics = createMetrics('test', { defaultMetrics: false });
  const policy = createResiliencePolicy('stock', settings, { events, metrics, ...(random ? { random } : {}) });
  return { policy, events, metrics };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('circuit breaker', () => {
  it('opens after 5 consecutive failures and rejects without calling the dependency', async () => {
    const { policy, events, metrics } = setup({ retry: { maxAttempts: 1 }, breaker: { threshold: 5 } });
    let calls = 0;
    const dependency = () => (calls++, networkFailure());
    for (let i = 0; i < 5; i++) {
      const error = await failureOf(policy.execute(dependency));
      expect(error).toMatchObject({ reason: 'network' });
    }
    expect(policy.breakerState()).toBe('open');

    const rejected = await failureOf(policy.execute(dependency));
    expect(rejected).toBeInstanceOf(DependencyUnavailableError);
    expect(rejected).toMatchObject({ reason: 'circuit_open', dependency: 'stock' });
    expect((rejected as DependencyUnavailableError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(calls).toBe(5);

    const logged = events.list();
    expect(logged.filter((e) => e.type === 'call')).toHaveLength(5);
    expect(logged.filter((e) => e.type === 'breaker')).toMatchObject([{ from: 'closed', to: 'open' }]);
    expect(logged.at(-1)).toMatchObject({ type: 'short_circuited', dependency: 'stock' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('harness_breaker_state{dependency="stock",service="test"} 1');
    expect(text).toContain('harness_breaker_transitions_total{dependency="stock",to="open",service="test"} 1');
  });

  it('closes again when the half-open probe succeeds', async () => {
    const { policy, events, metrics } = setup({
      retry: { maxAttempts: 1 },
      breaker: { threshold: 2, halfOpenAfterMs: 40 },
    });
    await failureOf(policy.execute(networkFailure));
    await failureOf(policy.execute(networkFailure));
    expect(policy.breakerState()).toBe('open');
    await sleep(60);

    await expect(policy.execute(async () => 'ok')).resolves.toBe('ok');
    expect(policy.breakerState()).toBe('closed');
    const transitions = events.list().filter((e) => e.type === 'breaker');
    expect(transitions.map((e) => [e.from, e.to])).toEqual([
      ['closed', 'open'],
      ['open', 'half-open'],
      ['half-open', 'closed'],
    ]);
    expect(await metrics.registry.metrics()).toContain('harness_breaker_state{dependency="stock",service="test"} 0');
  });

  it('opens again when the half-open probe fails', async () => {
    const { policy } = setup({ retry: { maxAttempts: 1 }, breaker: { threshold: 1, halfOpenAfterMs: 30 } });
    await failureOf(policy.execute(networkFailure));
    await sleep(45);
    await failureOf(policy.execute(networkFailure));
    expect(policy.breakerState()).toBe('open');
  });

  it('counts every attempt: retries pending when it opens are refused at once, naming the earlier failure', async () => {
    const { policy, events } = setup({
      timeoutMs: 30,
      retry: { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 20 },
      breaker: { threshold: 2, halfOpenAfterMs: 5_000 },
    });
    let attempts = 0;
    const hang = ({ signal }: { signal: AbortSignal }) => {
      attempts++;
      return new Promise<never>((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    };
    const started = Date.now();
    const errors = await Promise.all([failureOf(policy.execute(hang)), failureOf(policy.execute(hang))]);
    // Two timed-out attempts open the circuit; neither call makes a second attempt.
    expect(attempts).toBe(2);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(policy.breakerState()).toBe('open');
    for (const error of errors) {
      expect(error).toBeInstanceOf(DependencyUnavailableError);
      // The attempt may have reached the dependency: the caller must not read it as "never sent".
      expect(error).toMatchObject({ reason: 'timeout' });
      expect((error as DependencyUnavailableError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    }
    expect(events.list().filter((e) => e.type === 'short_circuited')).toHaveLength(2);

    const refused = await failureOf(policy.execute(hang));
    expect(refused).toMatchObject({ reason: 'circuit_open' });
    expect(attempts).toBe(2);
  });

  it('does not count answers that blame the caller (429) as breaker failures', async () => {
    const { policy } = setup({ retry: { maxAttempts: 1 }, breaker: { threshold: 2 } });
    const tooMany = new DependencyStatusError('stock', new Response(null, { status: 429 }), undefined);
    for (let i = 0; i < 3; i++) await failureOf(policy.execute(() => Promise.reject(tooMany)));
    expect(policy.breakerState()).toBe('closed');
  });
});

describe('retry', () => {
  const retrySettings = { maxAttempts: 4, initialDelayMs: 20, maxDelayMs: 50, maxRetryAfterMs: 1000 };

  it('keeps retry delays inside the exponential backoff + jitter envelope', async () => {
    const { policy, events } = setup({ retry: retrySettings });
    let calls = 0;
    const result = await policy.execute(async () => {
      calls++;
      if (calls < 4) throw new DependencyNetworkError('stock', new Error('reset'));
      return 'ok';
    });
    expect(result).toBe('ok');
    const retries = events.list().filter((e) => e.type === 'retry');
    expect(retries.map((e) => e.attempt)).toEqual([2, 3, 4]);
    retries.forEach((event, index) => {
      const ceiling = backoffCeilingMs(index + 1, retrySettings);
      expect(event.delayMs).toBeGreaterThanOrEqual(ceiling / 2);
      expect(event.delayMs).toBeLessThanOrEqual(ceiling);
    });
    const calls_ = events.list().filter((e) => e.type === 'call');
    for (let i = 1; i < calls_.length; i++) {
      const gap = calls_[i]!.atMs - calls_[i - 1]!.atMs;
      expect(gap).toBeGreaterThanOrEqual(retries[i - 1]!.delayMs - 2);
    }
  });

  it('takes the delay bounds from the jitter source: low end at 0, ceiling at 1', async () => {
    for (const [random, expected] of [
      [0, [10, 20, 25]],
      [1, [20, 40, 50]],
    ] as const) {
      const { policy, events } = setup({ retry: retrySettings }, () => random);
      await failureOf(policy.execute(networkFailure));
      expect(events.list().flatMap((e) => (e.type === 'retry' ? [e.delayMs] : []))).toEqual(expected);
    }
  });

  it('waits the Retry-After delay a 503 carries instead of the backoff', async () => {
    const { policy, events } = setup({ retry: retrySettings }, () => 0);
    let calls = 0;
    await policy.execute(async () => {
      if (calls++ === 0) throw unavailableStatus(70);
      return 'ok';
    });
    expect(events.list().find((e) => e.type === 'retry')).toMatchObject({ delayMs: 70, reason: 'status 503' });
  });

  it('gives up at once when Retry-After exceeds what it is willing to wait', async () => {
    const { policy } = setup({ retry: { ...retrySettings, maxRetryAfterMs: 100 } });
    let calls = 0;
    const error = await failureOf(policy.execute(() => (calls++, Promise.reject(unavailableStatus(5_000)))));
    expect(error).toBeInstanceOf(DependencyStatusError);
    expect(calls).toBe(1);
  });

  it('does not retry a call marked not retryable (a POST without Idempotency-Key)', async () => {
    const { policy, events } = setup({ retry: retrySettings });
    let calls = 0;
    await failureOf(policy.execute(() => (calls++, networkFailure()), { retryable: false }));
    expect(calls).toBe(1);
    expect(events.list().filter((e) => e.type === 'retry')).toHaveLength(0);
  });

  it('does not retry a 500 but the breaker counts it', async () => {
    const { policy } = setup({ retry: retrySettings, breaker: { threshold: 1 } });
    let calls = 0;
    const internal = new DependencyStatusError('stock', new Response(null, { status: 500 }), undefined);
    expect(await failureOf(policy.execute(() => (calls++, Promise.reject(internal))))).toBe(internal);
    expect(calls).toBe(1);
    expect(policy.breakerState()).toBe('open');
  });

  it('stops after maxAttempts and reports the dependency unavailable', async () => {
    const { policy, metrics } = setup({ retry: { ...retrySettings, maxAttempts: 3 } });
    let calls = 0;
    const error = await failureOf(policy.execute(() => (calls++, networkFailure())));
    expect(calls).toBe(3);
    expect(error).toMatchObject({ reason: 'network' });
    expect(await metrics.registry.metrics()).toContain('harness_retries_total{dependency="stock",service="test"} 2');
  });
});

describe('timeout and bulkhead', () => {
  it('aborts an attempt that runs out of time and retries it', async () => {
    const { policy, events } = setup({ timeoutMs: 30, retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 1 } });
    const signals: AbortSignal[] = [];
    const error = await failureOf(
      policy.execute(({ signal }) => {
        signals.push(signal);
        return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
      }),
    );
    expect(error).toMatchObject({ reason: 'timeout' });
    expect(signals).toHaveLength(2);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
    expect(events.list().filter((e) => e.type === 'timeout')).toHaveLength(2);
    expect(
      events
        .list()
        .filter((e) => e.type === 'call')
        .map((e) => e.outcome),
    ).toEqual(['timeout', 'timeout']);
  });

  it('rejects calls beyond the bulkhead limit and queue without running them', async () => {
    const { policy, events, metrics } = setup({ bulkhead: { limit: 1, queue: 1 } });
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    const slow = () => (started++, gate.then(() => 'done'));
    const first = policy.execute(slow);
    const queued = policy.execute(slow);
    const rejected = await failureOf(policy.execute(slow));
    expect(rejected).toMatchObject({ reason: 'bulkhead_full' });
    expect(started).toBe(1);
    release();
    await expect(Promise.all([first, queued])).resolves.toEqual(['done', 'done']);
    expect(events.list().filter((e) => e.type === 'bulkhead_rejected')).toHaveLength(1);
    expect(await metrics.registry.metrics()).toContain(
      'harness_bulkhead_rejections_total{dependency="stock",service="test"} 1',
    );
  });
});
