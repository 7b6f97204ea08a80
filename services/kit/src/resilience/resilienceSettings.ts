/**
 * Resilience settings of one dependency, configured in one place per service. `retry.maxAttempts`
 * counts every attempt including the first (1 = no retry).
 */
export interface ResilienceSettings {
  /** Per attempt; the attempt is aborted when it runs out. */
  timeoutMs: number;
  retry: {
    maxAttempts: number;
    initialDelayMs: number;
    maxDelayMs: number;
    /** A Retry-After longer than this is not waited for: the call fails with it instead. */
    maxRetryAfterMs: number;
  };
  breaker: {
    /** Consecutive failures that open the circuit. */
    threshold: number;
    halfOpenAfterMs: number;
    /** When set, a SamplingBreaker on the failure ratio over a window replaces the consecutive one. */
    sampling?: { failureRatio: number; windowMs: number; minimumRps: number };
  };
  bulkhead: { limit: number; queue: number };
}

export interface ResilienceSettingsInput {
  timeoutMs?: number;
  retry?: Partial<ResilienceSettings['retry']>;
  breaker?: Partial<ResilienceSettings['breaker']>;
  bulkhead?: Partial<ResilienceSettings['bulkhead']>;
}

export const defaultResilienceSettings: ResilienceSettings = {
  timeoutMs: 2_000,
  retry: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 2_000, maxRetryAfterMs: 5_000 },
  breaker: { threshold: 5, halfOpenAfterMs: 5_000 },
  bulkhead: { limit: 20, queue: 50 },
};

/** Fills what the input leaves out with the defaults. */
export function resolveResilienceSettings(input: ResilienceSettingsInput = {}): ResilienceSettings {
  const settings: ResilienceSettings = {
    timeoutMs: input.timeoutMs ?? defaultResilienceSettings.timeoutMs,
    retry: { ...defaultResilienceSettings.retry, ...input.retry },
    breaker: { ...defaultResilienceSettings.breaker, ...input.breaker },
    bulkhead: { ...defaultResilienceSettings.bulkhead, ...input.bulkhead },
  };
  if (settings.retry.maxAttempts < 1) throw new RangeError('retry.maxAttempts must be at least 1');
  if (settings.bulkhead.limit < 1) throw new RangeError('bulkhead.limit must be at least 1');
  return settings;
}
