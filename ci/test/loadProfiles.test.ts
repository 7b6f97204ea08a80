import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { k6Binary } from '../src/load/k6Process.ts';
import { K6_DIR, LOAD_PROFILES, LOAD_SUITES, profileNamed } from '../src/load/profiles.ts';

interface Threshold {
  threshold?: string;
  abortOnFail?: boolean;
}
interface Plan {
  scenarios: Record<
    string,
    { executor: string; startTime?: string | null; rate?: number; stages?: Array<{ target: number }> }
  >;
  thresholds: Record<string, Array<string | Threshold>>;
  totalDuration: string;
}

/** k6's own reading of a script's options (nothing is sent anywhere). */
function plan(script: string, env: Record<string, string>): Plan {
  const out = execFileSync(k6Binary(), ['inspect', '--include-system-env-vars', '--execution-requirements', script], {
    cwd: K6_DIR,
    env: { ...process.env, BASE_URL: 'http://127.0.0.1:9', API_KEY: 'k', TOXIPROXY_URL: 'http://127.0.0.1:9', ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out) as Plan;
}

const aborts = (list: Array<string | Threshold> | undefined): boolean =>
  (list ?? []).some((t) => typeof t === 'object' && t.abortOnFail === true);

describe('load profiles', () => {
  const shopProfiles = LOAD_PROFILES.filter((profile) => profile.script === 'shop.k6.ts');

  it.each(shopProfiles.map((p) => p.name))('%s is an open-model (arrival-rate) run gated on the SLOs', (name) => {
    const profile = profileNamed(name);
    const p = plan(path.join(K6_DIR, profile?.script ?? ''), profile?.env ?? {});
    expect(Object.values(p.scenarios).map((s) => s.executor)).toEqual([expect.stringMatching(/arrival-rate$/)]);
    expect(Object.keys(p.thresholds)).toEqual(
      expect.arrayContaining([
        'http_req_failed',
        'http_req_duration',
        'http_req_duration{endpoint:place_order}',
        'order_confirmed_latency',
        'checks',
      ]),
    );
  });

  it('grpc-stock is an open-model run of GetStockLevels over k6/net/grpc, gated on gRPC latency and checks', () => {
    const profile = profileNamed('grpc-stock');
    const p = plan(path.join(K6_DIR, profile?.script ?? ''), { GRPC_ADDRESS: '127.0.0.1:1', SERVICE_TOKEN: 't' });
    expect(Object.values(p.scenarios).map((s) => s.executor)).toEqual(['constant-arrival-rate']);
    expect(Object.keys(p.thresholds).sort()).toEqual(['checks', 'grpc_req_duration']);
  });

  it('graphql is an open-model run of the GraphQL journey, gated on each operation’s p95, errors and checks', () => {
    const profile = profileNamed('graphql');
    const p = plan(path.join(K6_DIR, profile?.script ?? ''), { ...profile?.env, GRAPHQL_URL: 'http://127.0.0.1:1' });
    expect(Object.values(p.scenarios).map((s) => s.executor)).toEqual(['constant-arrival-rate']);
    expect(Object.keys(p.thresholds)).toEqual(
      expect.arrayContaining([
        'http_req_failed',
        'checks',
        'http_req_duration{endpoint:graphql_Products}',
        'http_req_duration{endpoint:graphql_PlaceOrder}',
        'http_req_duration{endpoint:graphql_OrderView}',
      ]),
    );
    expect(Object.keys(p.thresholds)).not.toContain('http_req_duration{endpoint:place_order}');
  });

  it('stops stress, soak and breakpoint runs early when the error SLO breaks, and breakpoint on latency too', () => {
    const thresholds = (name: string) => plan(path.join(K6_DIR, 'shop.k6.ts'), { PROFILE: name }).thresholds;
    for (const name of ['stress', 'soak', 'breakpoint']) expect(aborts(thresholds(name).http_req_failed)).toBe(true);
    expect(aborts(thresholds('breakpoint').http_req_duration)).toBe(true);
    expect(aborts(thresholds('average').http_req_failed)).toBe(false);
  });

  it('takes the rate and duration given on the command line', () => {
    const p = plan(path.join(K6_DIR, 'shop.k6.ts'), { PROFILE: 'average', RATE: '7', DURATION: '30s' });
    const stages = p.scenarios.shoppers?.stages ?? [];
    expect(Math.max(...stages.map((s) => s.target))).toBe(7);
    expect(p.totalDuration).toBe('40s'); // 30 s of stages + the 10 s graceful stop
  });

  it('rejects a profile name the k6 script does not know', () => {
    expect(() => plan(path.join(K6_DIR, 'shop.k6.ts'), { PROFILE: 'nope' })).toThrow(/unknown PROFILE .{0,2}"nope/);
  });

  it('schedules the payment fault at 20 s and its lift at 40 s, shrunk by --time-scale', () => {
    const full = plan(path.join(K6_DIR, 'chaos-payment-latency.k6.ts'), {});
    expect(full.scenarios.inject_fault?.startTime).toBe('20s');
    expect(full.scenarios.lift_fault?.startTime).toBe('40s');
    const ci = plan(path.join(K6_DIR, 'chaos-payment-latency.k6.ts'), { TIME_SCALE: '0.25' });
    expect(ci.scenarios.inject_fault?.startTime).toBe('5s');
    expect(ci.scenarios.lift_fault?.startTime).toBe('10s');
    expect(Object.keys(ci.thresholds)).toEqual(
      expect.arrayContaining([
        'http_req_duration{phase:fault,endpoint:place_order}',
        'http_req_failed{phase:recovered}',
      ]),
    );
  });

  it('the CI suite runs smoke and a cheap 30 s average', () => {
    expect(LOAD_SUITES.ci?.runs).toEqual([
      { profile: 'smoke' },
      { profile: 'average', duration: '30s', rate: 10 },
      { profile: 'chaos-payment-latency', timeScale: 0.5 },
    ]);
  });
});
