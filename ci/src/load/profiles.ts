import path from 'node:path';
import { REPO_ROOT } from '@harness/runtime';

/** Where the k6 scripts live (flat, so the same files fit one Kubernetes ConfigMap). */
export const K6_DIR = path.join(REPO_ROOT, 'load', 'k6');

export interface LoadProfile {
  name: string;
  /** Script under load/k6. */
  script: string;
  description: string;
  /** Extra env for the script. */
  env: Record<string, string>;
  /** Drives Toxiproxy (needs its URL from the run or --toxiproxy-url). */
  chaos: boolean;
}

const shop = (name: string, description: string): LoadProfile => ({
  name,
  script: 'shop.k6.ts',
  description,
  env: { PROFILE: name },
  chaos: false,
});

/** The profiles `harness load` runs; the shapes live in load/k6/profiles.k6.ts. */
export const LOAD_PROFILES: readonly LoadProfile[] = [
  shop('smoke', '2 journeys/s for 10 s: the system works end to end (CI)'),
  shop('average', 'ramp to 20 journeys/s, hold, ramp down; 1 m (CI runs 30 s)'),
  shop('stress', 'ramp to 200 journeys/s and hold; 2 m; aborts on errors'),
  shop('spike', 'near idle, a sudden burst to 300 journeys/s, back; 1 m'),
  shop('soak', '20 journeys/s held for 30 m; aborts on errors'),
  shop('breakpoint', 'rise steadily to 1000 journeys/s over 5 m; aborts where an SLO breaks'),
  {
    name: 'grpc-stock',
    script: 'grpc-stock.k6.ts',
    description:
      '50 GetStockLevels calls/s for 20 s on the gRPC link L11 (k6/net/grpc, through its proxy); p95 < 50 ms',
    env: {},
    chaos: false,
  },
  {
    name: 'graphql',
    script: 'graphql.k6.ts',
    description:
      'the shopper journey over GraphQL (Products, PlaceOrder, OrderView) through the L10 proxy, 2 journeys/s for 10 s; p95 < 200 ms per operation, no GraphQL errors',
    env: { PROFILE: 'smoke' },
    chaos: false,
  },
  {
    name: 'chaos-payment-latency',
    script: 'chaos-payment-latency.k6.ts',
    description: '10 journeys/s; 5 s latency on order→payment from 20 s to 40 s; fast failure, then recovery',
    env: {},
    chaos: true,
  },
];

export function profileNamed(name: string): LoadProfile | undefined {
  return LOAD_PROFILES.find((profile) => profile.name === name);
}

/** One run of a suite: a profile with the settings it runs with there. */
export interface SuiteRun {
  profile: string;
  duration?: string;
  rate?: number;
  timeScale?: number;
}

/** Named sequences of runs against one system; `ci` is what the README's test command runs. */
export const LOAD_SUITES: Record<string, { description: string; runs: SuiteRun[] }> = {
  ci: {
    description:
      'smoke (10 s), a short average (30 s at 10 journeys/s), then chaos-payment-latency at half time scale (40 s): the CI gate',
    runs: [
      { profile: 'smoke' },
      { profile: 'average', duration: '30s', rate: 10 },
      { profile: 'chaos-payment-latency', timeScale: 0.5 },
    ],
  },
};
