/**
 * Run settings read from the environment (the `harness load` wrapper sets them; a plain
 * `k6 run` can pass them with `-e NAME=value`). Parsed once, in the init context.
 */
export interface LoadSettings {
  /** Gateway origin, e.g. http://127.0.0.1:4010 (no trailing slash, no /api/v1). */
  baseUrl: string;
  apiKey: string;
  /** The product every order buys (seeded with a large stock for load). */
  productId: string;
  /** Share of orders paid with tok_decline (0..1): declines are an expected outcome, not an error. */
  declineRatio: number;
  /** Share of orders paid with tok_slow (0..1): the order is answered 202 and polled until terminal. */
  slowRatio: number;
  /** How long the journey polls a 202 order before counting it as still pending. */
  pollTimeoutMs: number;
  pollIntervalMs: number;
  /** Overrides of the profile's target rate (iterations/s) and duration (k6 duration string). */
  rate?: number;
  duration?: string;
  /** Overrides of the latency SLOs (ms), e.g. an impossible p95 to prove the gate fails. */
  p95Ms?: number;
  p99Ms?: number;
  /** Where handleSummary writes the raw end-of-test summary (JSON). */
  summaryJson?: string;
}

export function env(name: string): string | undefined {
  const value = __ENV[name];
  return value === undefined || value === '' ? undefined : value;
}

export function numberEnv(name: string): number | undefined {
  const raw = env(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${raw}"`);
  return value;
}

export function requiredEnv(name: string): string {
  const value = env(name);
  if (value === undefined) throw new Error(`${name} is required (the harness load wrapper sets it)`);
  return value;
}

export function loadSettings(): LoadSettings {
  const settings: LoadSettings = {
    baseUrl: requiredEnv('BASE_URL').replace(/\/+$/, ''),
    apiKey: requiredEnv('API_KEY'),
    productId: env('PRODUCT_ID') ?? 'p-bulk',
    declineRatio: numberEnv('DECLINE_RATIO') ?? 0.05,
    slowRatio: numberEnv('SLOW_RATIO') ?? 0,
    pollTimeoutMs: numberEnv('POLL_TIMEOUT_MS') ?? 10_000,
    pollIntervalMs: numberEnv('POLL_INTERVAL_MS') ?? 200,
  };
  const rate = numberEnv('RATE');
  if (rate !== undefined) settings.rate = rate;
  const duration = env('DURATION');
  if (duration !== undefined) settings.duration = duration;
  const p95 = numberEnv('P95_MS');
  if (p95 !== undefined) settings.p95Ms = p95;
  const p99 = numberEnv('P99_MS');
  if (p99 !== undefined) settings.p99Ms = p99;
  const summaryJson = env('SUMMARY_JSON');
  if (summaryJson !== undefined) settings.summaryJson = summaryJson;
  return settings;
}
