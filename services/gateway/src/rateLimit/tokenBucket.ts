export interface RateLimitSettings {
  /** Tokens added per second (sustained requests per second). */
  ratePerSecond: number;
  /** Bucket capacity (largest burst). */
  burst: number;
}

type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Per-caller token buckets held in memory. */
export interface RateLimiter {
  take(callerId: string): RateDecision;
}

interface Bucket {
  tokens: number;
  refilledAtMs: number;
}

/**
 * A token bucket per caller: each request takes one token, tokens refill continuously at
 * `ratePerSecond` up to `burst`. A refused request learns how many whole seconds until a token
 * is available (at least 1), for the Retry-After header.
 */
export function createTokenBucketLimiter(settings: RateLimitSettings, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, Bucket>();
  return {
    take(callerId) {
      const nowMs = now();
      let bucket = buckets.get(callerId);
      if (bucket === undefined) {
        bucket = { tokens: settings.burst, refilledAtMs: nowMs };
        buckets.set(callerId, bucket);
      } else {
        const elapsedSeconds = Math.max(0, nowMs - bucket.refilledAtMs) / 1000;
        bucket.tokens = Math.min(settings.burst, bucket.tokens + elapsedSeconds * settings.ratePerSecond);
        bucket.refilledAtMs = nowMs;
      }
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true };
      }
      const secondsToNextToken = (1 - bucket.tokens) / settings.ratePerSecond;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(secondsToNextToken)) };
    },
  };
}
