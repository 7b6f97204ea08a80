import {
  bulkhead,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  handleWhen,
  isBrokenCircuitError,
  isBulkheadRejectedError,
  isTaskCancelledError,
  retry,
  SamplingBreaker,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
  type FailureReason,
  type IBreaker,
  type IRetryBackoffContext,
} from 'cockatiel';
import { trace } from '@opentelemetry/api';
import type { Logger } from '../observability/logger.ts';
import type { KitMetrics } from '../observability/metrics.ts';
import { jitteredBackoffMs } from './backoff.ts';
import {
  DependencyNetworkError,
  DependencyStatusError,
  DependencyUnavailableError,
  describeFailure,
  isBreakerFailure,
  isTransientFailure,
} from './dependencyFailures.ts';
import type { BreakerStateName, ResilienceEventBody, ResilienceEventLog } from './ResilienceEventLog.ts';
import {
  resolveResilienceSettings,
  type ResilienceSettings,
  type ResilienceSettingsInput,
} from './resilienceSettings.ts';

export interface ResiliencePolicyDeps {
  metrics?: KitMetrics;
  logger?: Logger;
  events?: ResilienceEventLog;
  /** Source of jitter; tests pass a fixed one. */
  random?: () => number;
  /** Which failures are worth another attempt (default: transient ones, see isTransientFailure). */
  isRetryable?: (error: unknown) => boolean;
  /** Which failures the breaker counts (default: all but 4xx answers). */
  isBreakerFailure?: (error: unknown) => boolean;
}

export interface AttemptContext {
  /** Aborted when the attempt times out or the caller's signal aborts. */
  signal: AbortSignal;
  /** 1 for the first attempt. */
  attempt: number;
}

export interface ExecuteOptions {
  /** False for calls that must not be repeated (a POST without Idempotency-Key). Default true. */
  retryable?: boolean;
  signal?: AbortSignal;
}

/**
 * The resilience of calls to one dependency: bulkhead → retry → circuit breaker → timeout per
 * attempt. The breaker sees every attempt, so it opens after `threshold` failed attempts and the
 * retries still pending when it opens are refused at once instead of each waiting out its own
 * timeouts (the order Polly and resilience4j recommend). Gives up with a
 * DependencyUnavailableError (circuit open, bulkhead full, timeout, network); other failures
 * (e.g. DependencyStatusError) are rethrown as they are. When an attempt was made before the
 * circuit refused a retry, the error names that attempt's failure (a timed-out attempt may have
 * reached the dependency: callers must treat the outcome as unknown, not as never sent).
 */
export interface ResiliencePolicy {
  readonly dependency: string;
  readonly settings: ResilienceSettings;
  execute<T>(fn: (attempt: AttemptContext) => Promise<T>, options?: ExecuteOptions): Promise<T>;
  breakerState(): BreakerStateName;
}

/** How the last attempt of a call ended, before it failed for good (see `unavailable`). */
const NO_ATTEMPT = Symbol('no attempt');
const STILL_RUNNING = Symbol('timed out, still running');

const stateNames: Record<CircuitState, BreakerStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

const gaugeValues: Record<BreakerStateName, number> = { closed: 0, open: 1, 'half-open': 2, isolated: 3 };

export function createResiliencePolicy(
  dependency: string,
  input: ResilienceSettingsInput = {},
  deps: ResiliencePolicyDeps = {},
): ResiliencePolicy {
  const settings = resolveResilienceSettings(input);
  const { metrics, logger, events } = deps;
  const isRetryable = deps.isRetryable ?? ((error) => isTransientFailure(error, settings.retry.maxRetryAfterMs));
  const record = (body: ResilienceEventBody): void => {
    events?.record(dependency, body);
    if (body.type !== 'call') addSpanEvent(dependency, body);
  };
  events?.describePolicy(dependency, settings);

  const bulkheadPolicy = bulkhead(settings.bulkhead.limit, settings.bulkhead.queue);
  const breakerPolicy = circuitBreaker(handleWhen(deps.isBreakerFailure ?? isBreakerFailure), {
    halfOpenAfter: settings.breaker.halfOpenAfterMs,
    breaker: breakerOf(settings.breaker),
  });
  const retryPolicy = retry(handleWhen(isRetryable), {
    maxAttempts: settings.retry.maxAttempts - 1,
    backoff: new DelegateBackoff((context: IRetryBackoffContext<unknown>) =>
      retryDelayMs(context.attempt, context.result, settings, deps.random),
    ),
  });
  // The attempt's signal is not aborted once it returned: a caller may still be reading from it.
  const timeoutPolicy = timeout(settings.timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
  const withRetry = wrap(bulkheadPolicy, retryPolicy, breakerPolicy, timeoutPolicy);
  const withoutRetry = wrap(bulkheadPolicy, breakerPolicy, timeoutPolicy);

  let state: BreakerStateName = 'closed';
  let openedAtMs = 0;
  metrics?.breakerState.set({ dependency }, 0);
  breakerPolicy.onStateChange((next) => {
    const from = state;
    state = stateNames[next];
    if (state === 'open') openedAtMs = Date.now();
    record({ type: 'breaker', from, to: state });
    metrics?.breakerState.set({ dependency }, gaugeValues[state]);
    metrics?.breakerTransitions.inc({ dependency, to: state });
    const log = { dependency, from, to: state };
    if (state === 'open') logger?.warn(log, `circuit to ${dependency} opened`);
    else logger?.info(log, `circuit to ${dependency} is ${state}`);
  });
  retryPolicy.onRetry((event) => {
    const reason = describeFailure('error' in event ? event.error : event.value);
    record({ type: 'retry', attempt: event.attempt + 1, delayMs: event.delay, reason });
    metrics?.retries.inc({ dependency });
    logger?.info({ dependency, attempt: event.attempt + 1, delayMs: event.delay, reason }, `retrying ${dependency}`);
  });
  timeoutPolicy.onTimeout(() => {
    record({ type: 'timeout', timeoutMs: settings.timeoutMs });
    metrics?.timeouts.inc({ dependency });
  });
  timeoutPolicy.onSuccess(({ duration }) => recordCall('success', duration));
  timeoutPolicy.onFailure(({ duration, reason }) =>
    recordCall('error' in reason && isTaskCancelledError(reason.error) ? 'timeout' : 'failure', duration),
  );
  bulkheadPolicy.onReject(() => {
    record({ type: 'bulkhead_rejected' });
    metrics?.bulkheadRejections.inc({ dependency });
  });

  function recordCall(outcome: 'success' | 'failure' | 'timeout', durationMs: number): void {
    record({ type: 'call', outcome, durationMs: Math.round(durationMs * 10) / 10 });
    metrics?.dependencyRequestDuration.observe({ dependency, outcome }, durationMs / 1000);
  }

  /**
   * `attempt` is how the last attempt made in this call failed: 'none' when no attempt ran,
   * 'running' when it timed out and has not settled yet.
   */
  function unavailable(error: unknown, signal: AbortSignal | undefined, attempt: unknown): unknown {
    if (signal?.aborted) return signal.reason ?? error;
    if (isBrokenCircuitError(error)) {
      record({ type: 'short_circuited' });
      const remainingMs = openedAtMs + settings.breaker.halfOpenAfterMs - Date.now();
      const retryAfterSeconds = Math.max(1, Math.ceil(remainingMs / 1000));
      // A retry refused by the circuit: the earlier attempt's failure is what the caller must know.
      if (attempt === NO_ATTEMPT)
        return new DependencyUnavailableError(dependency, 'circuit_open', retryAfterSeconds, error);
      if (attempt === STILL_RUNNING)
        return new DependencyUnavailableError(dependency, 'timeout', retryAfterSeconds, error);
      const earlier = unavailable(attempt, signal, NO_ATTEMPT);
      if (earlier instanceof DependencyUnavailableError) {
        return new DependencyUnavailableError(dependency, earlier.reason, retryAfterSeconds, error);
      }
      return earlier;
    }
    if (isBulkheadRejectedError(error)) return new DependencyUnavailableError(dependency, 'bulkhead_full', 1, error);
    if (isTaskCancelledError(error)) return new DependencyUnavailableError(dependency, 'timeout', undefined, error);
    if (error instanceof DependencyNetworkError) {
      return new DependencyUnavailableError(dependency, 'network', undefined, error);
    }
    return error;
  }

  return {
    dependency,
    settings,
    breakerState: () => state,
    async execute<T>(fn: (attempt: AttemptContext) => Promise<T>, options: ExecuteOptions = {}): Promise<T> {
      let attempts = 0;
      let lastAttemptError: unknown = NO_ATTEMPT;
      const run = async (context: { signal: AbortSignal }): Promise<T> => {
        attempts += 1;
        lastAttemptError = STILL_RUNNING;
        try {
          return await fn({ signal: context.signal, attempt: attempts });
        } catch (error) {
          // An attempt that rejects because its signal aborted lost the race against its timeout.
          lastAttemptError =
            context.signal.aborted && !options.signal?.aborted
              ? new TaskCancelledError(`Operation timed out after ${settings.timeoutMs}ms`)
              : error;
          throw lastAttemptError;
        }
      };
      try {
        return options.retryable === false
          ? await withoutRetry.execute(run, options.signal)
          : await withRetry.execute(run, options.signal);
      } catch (error) {
        throw unavailable(error, options.signal, lastAttemptError);
      }
    },
  };
}

function breakerOf(settings: ResilienceSettings['breaker']): IBreaker {
  if (!settings.sampling) return new ConsecutiveBreaker(settings.threshold);
  return new SamplingBreaker({
    threshold: settings.sampling.failureRatio,
    duration: settings.sampling.windowMs,
    minimumRps: settings.sampling.minimumRps,
  });
}

/** Retry-After when the failure carries one (the filter already capped it), else backoff + jitter. */
function retryDelayMs(
  retryNumber: number,
  result: FailureReason<unknown>,
  settings: ResilienceSettings,
  random: (() => number) | undefined,
): number {
  if ('error' in result && result.error instanceof DependencyStatusError && result.error.retryAfterMs !== undefined) {
    return result.error.retryAfterMs;
  }
  return jitteredBackoffMs(retryNumber, settings.retry, random);
}

/**
 * A resilience event (breaker transition, retry, timeout, rejection) as an event on the active span
 * (the call's client span): `resilience.retry` with `dependency`, `attempt`, `delayMs`, `reason`...
 */
function addSpanEvent(dependency: string, body: Exclude<ResilienceEventBody, { type: 'call' }>): void {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return;
  const { type, ...fields } = body;
  span.addEvent(`resilience.${type}`, { dependency, ...fields });
}
