import exec from 'k6/execution';
import http from 'k6/http';
import type { Options } from 'k6/options';
import { shopperJourney } from './journey.k6.ts';
import { isProfileName, PROFILE_DEFAULTS, PROFILE_NAMES, scenarioFor } from './profiles.k6.ts';
import { env, loadSettings } from './settings.k6.ts';
import { writeSummary, type SummaryData } from './summary.k6.ts';
import { sloWith, thresholdsFor } from './thresholds.k6.ts';

/**
 * The shopper journey under one of the shared profiles:
 *   k6 run -e PROFILE=smoke -e BASE_URL=http://127.0.0.1:PORT -e API_KEY=... load/k6/shop.k6.ts
 * (`npx harness load <profile>` fills these in from the running system).
 */
const profile = env('PROFILE') ?? 'smoke';
if (!isProfileName(profile)) throw new Error(`unknown PROFILE "${profile}"; one of ${PROFILE_NAMES.join(', ')}`);
const settings = loadSettings();
const defaults = PROFILE_DEFAULTS[profile];

export const options: Options = {
  scenarios: { shoppers: scenarioFor(profile, settings.rate ?? defaults.rate, settings.duration ?? defaults.duration) },
  thresholds: thresholdsFor(profile, sloWith(settings)),
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
  setupTimeout: '30s',
  teardownTimeout: '30s',
  userAgent: 'harness-load/1.0 (k6)',
};

/** Refuses to start the load when the API cannot be reached with this key. */
export function setup(): void {
  const res = http.get(`${settings.baseUrl}/api/v1/products`, {
    headers: { Authorization: `Bearer ${settings.apiKey}` },
    tags: { endpoint: 'preflight' },
    responseCallback: http.expectedStatuses(200),
  });
  if (res.status !== 200)
    exec.test.abort(`preflight GET ${settings.baseUrl}/api/v1/products answered ${res.status || res.error}`);
}

export default function (): void {
  shopperJourney(settings);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return writeSummary(data);
}
